import { classifyError, faults, type Sim, type SimulationResult, simulate } from 'faultline';

/*
 * Small deterministic runs the matcher tests assert on. Each is run once per
 * test file (in `beforeAll`), so the rerun command in messages names the file.
 */

/**
 * An 'llm' service down from 2 s to 12 s behind a breaker (3 failures, 5 s open,
 * 1 probe success) and a retry (2 retries): the breaker trips twice, rejects
 * calls, and recloses at +13.561s.
 */
export async function outage(sim: Sim): Promise<void> {
  const llm = sim.service('llm', {
    latency: 100,
    faults: [faults.outage({ at: '2s', for: '10s' })],
    handle: () => 'ok',
  });
  const breaker = sim.breaker('llm', { failureThreshold: 3, timeout: '5s', successThreshold: 1 });
  const retry = sim.retry('llm', { maxRetries: 2, baseDelay: '500ms' });
  for (let i = 0; i < 16; i++) {
    await retry.execute(() => breaker.execute(() => llm.call({}))).catch(() => {});
    await sim.sleep('1s');
  }
}

/** A healthy 'db' behind a breaker and a retry: nothing trips, nothing retries. */
export async function healthy(sim: Sim): Promise<string[]> {
  const db = sim.service('db', { latency: 20, handle: () => 'row' });
  const breaker = sim.breaker('db');
  const retry = sim.retry('db');
  const rows: string[] = [];
  for (let i = 0; i < 3; i++) rows.push(await retry.execute(() => breaker.execute(() => db.call({}))));
  return rows;
}

/** An 'api' allowing 2 calls per 10 s with Retry-After in seconds; the retry waits it out. */
export async function rateLimited(sim: Sim): Promise<void> {
  const api = sim.service('api', {
    latency: 50,
    faults: [faults.rateLimit({ limit: 2, per: '10s' })],
    handle: () => 'ok',
  });
  const retry = sim.retry('api', { maxRetries: 3, baseDelay: '100ms', maxDelay: '1s' });
  for (let i = 0; i < 3; i++) await retry.execute(() => api.call({}));
}

/**
 * The same 'api' behind a hand-written retry that traces like faultline's but
 * waits a fixed 200 ms, ignoring the Retry-After it saw.
 */
export async function rateLimitIgnored(sim: Sim): Promise<void> {
  const api = sim.service('api', {
    latency: 50,
    faults: [faults.rateLimit({ limit: 2, per: '10s' })],
    handle: () => 'ok',
  });
  for (let i = 0; i < 3; i++) {
    for (let attempt = 1; ; attempt++) {
      sim.emit('retry.attempt', { call: i, attempt }, 'naive');
      try {
        await api.call({});
        break;
      } catch (error) {
        const c = classifyError(error, sim.now());
        if (attempt > 3) throw error;
        sim.emit(
          'retry.scheduled',
          {
            call: i,
            attempt: attempt + 1,
            delay: 200,
            backoff: 200,
            reason: c.reason,
            retryAfter: c.retryAfterMs,
          },
          'naive',
        );
        await sim.sleep(200);
      }
    }
  }
}

/**
 * Primitives that exist but are never used, next to ones that are: an 'llm'
 * behind a breaker, a retry and a fallback chain 'answer' (live → cache), down
 * for its first second; a 'search' service, breaker, retry and bulkhead 'pool',
 * and a chain 'spare' (primary → backup), all created and never called.
 */
export async function spares(sim: Sim): Promise<void> {
  const llm = sim.service('llm', {
    latency: 100,
    faults: [faults.outage({ at: 0, for: '1s' })],
    handle: () => 'ok',
  });
  sim.service('search', { handle: () => 'hit' });
  const breaker = sim.breaker('llm', { failureThreshold: 2, timeout: '5s' });
  sim.breaker('search');
  const retry = sim.retry('llm', { maxRetries: 1, baseDelay: '100ms' });
  sim.retry('search');
  sim.bulkhead('pool', { maxConcurrent: 2 });
  const answer = sim.fallback('answer', [
    ['live', () => retry.execute(() => breaker.execute(() => llm.call({})))],
    ['cache', () => 'cached'],
  ]);
  sim.fallback('spare', [
    ['primary', () => 'a'],
    ['backup', () => 'b'],
  ]);
  for (let i = 0; i < 3; i++) await answer.execute();
}

export async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  return simulate({ seed }, body);
}

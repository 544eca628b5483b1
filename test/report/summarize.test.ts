import { describe, expect, it } from 'vitest';
import { faults, type Sim, simulate, summarize, Trace } from '../../src/index.js';

/*
 * A run whose numbers are known by construction: a service with a fixed 100 ms
 * latency that fails (503) during its first second, a retry with a 1 s fixed
 * backoff, a breaker that opens on one failure with a 10 s timeout.
 */
async function world(sim: Sim) {
  const db = sim.service('db', {
    latency: 100,
    faults: [faults.when({ between: ['0s', '1s'] }, faults.errors({ rate: 1, status: 503 }))],
    handle: () => 'row',
  });
  const retry = sim.retry('db', { maxRetries: 2, baseDelay: '1s', jitter: 'none' });
  const worker = sim.agent('worker', () => retry.execute(() => db.call({})));
  const cache = sim.service('cache', { latency: 10, handle: () => 'hit' });
  const breaker = sim.breaker('cache', { failureThreshold: 1, timeout: '10s' });
  await worker.run('a'); // attempt at 0 fails at 100 ms, retry at 1.1 s succeeds at 1.2 s
  await breaker.execute(() => Promise.reject(new Error('boom'))).catch(() => {}); // opens at 1.2 s
  await breaker.execute(() => cache.call({})).catch(() => {}); // rejected
  await sim.workload.burst({ count: 4 }, () => cache.call({}));
}

describe('summarize', () => {
  it('reports calls, latency, errors by kind, retry amplification and breaker time per state', async () => {
    const result = await simulate({ seed: 3, until: '20s' }, world);
    const s = summarize(result);
    expect(s.seed).toBe(3);
    expect(s.virtualTimeMs).toBe(20_000);
    const db = s.services.find((x) => x.name === 'db')!;
    expect(db.calls).toBe(2);
    expect(db.outcomes).toEqual({ error: 1, ok: 1 });
    expect(db.latency.p50).toBe(100);
    expect(db.latency.p99).toBe(100);
    expect(db.errorRate).toBe(0.5);
    expect(db.errorsByKind).toEqual({ '503': 1 });
    expect(Object.values(db.faults)).toEqual([1]);
    expect(db.throughputPerMinute).toBeCloseTo(2 / (20 / 60));

    const retry = s.retries.find((x) => x.name === 'db')!;
    expect(retry).toMatchObject({ requests: 1, attempts: 2, retries: 1, amplification: 2, succeeded: 1 });

    const worker = s.agents.find((x) => x.name === 'worker')!;
    expect(worker).toMatchObject({ runs: 1, outcomes: { ok: 1, failed: 0 }, fallbacks: 0 });
    expect(worker.latency.p50).toBe(1200);

    const breaker = s.breakers.find((x) => x.name === 'cache')!;
    expect(breaker.timeInState).toEqual({ closed: 1200, open: 10_000, 'half-open': 8800 });
    expect(breaker).toMatchObject({ opened: 1, rejected: 1, failures: 1 });
    expect(s.rejections).toEqual({ cache: 1 });
    expect(s.requests).toEqual({ started: 4, succeeded: 4, failed: 0, rejected: 0, pending: 0 });
    expect(s.workloads[0]!.latency.p50).toBe(10);
  });

  it('gives the same numbers from a saved JSONL trace as from the live result', async () => {
    const result = await simulate({ seed: 3, until: '20s' }, world);
    const fromFile = summarize(Trace.fromJSONL(result.trace.toJSONL()));
    expect(fromFile).toEqual(summarize(result));
  });

  it('counts failed agent runs by error code and the fallbacks that answered them', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const slow = sim.agent('slow', () => sim.sleep('5s'), { timeout: '1s', fallback: () => undefined });
      await slow.run(undefined);
      await slow.run(undefined);
    });
    const slow = summarize(result).agents[0]!;
    expect(slow).toMatchObject({ runs: 2, outcomes: { ok: 0, failed: 2 }, errorRate: 1, fallbacks: 2 });
    expect(slow.errorsByKind).toEqual({ TIMEOUT: 2 });
    expect(summarize(result).fallbacks).toEqual({ slow: 2 });
  });
});

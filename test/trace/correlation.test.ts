import { describe, expect, it } from 'vitest';
import { faults, type Sim, simulate } from '../../src/index.js';

/*
 * Correlation ids: each workload request (and each agent run outside one) gets
 * an id that reaches, through async context and virtual timers, every retry,
 * breaker decision, service call and fault it causes.
 */
async function world(sim: Sim) {
  const db = sim.service('db', {
    latency: 100,
    faults: [faults.when({ between: ['0s', '1s'] }, faults.errors({ rate: 1, status: 503 }))],
    handle: () => 'row',
  });
  const breaker = sim.breaker('db', { failureThreshold: 10 });
  const retry = sim.retry('db', { maxRetries: 3, baseDelay: '500ms', jitter: 'full' });
  const worker = sim.agent('worker', () => retry.execute(() => breaker.execute(() => db.call({}))));
  await sim.workload.burst({ count: 3, spacing: '50ms' }, () => worker.run(undefined));
  await worker.run(undefined); // outside any workload: a request of its own
}

describe('correlation ids', () => {
  it('follow each request through its agent run, retries, breaker decisions, service calls and faults', async () => {
    const result = await simulate({ seed: 4 }, world);
    const events = result.trace.events;
    const caused = events.filter((e) =>
      [
        'agent.',
        'retry.',
        'breaker.admitted',
        'breaker.failure',
        'breaker.success',
        'service.',
        'fault.',
      ].some((k) => e.kind.startsWith(k)),
    );
    expect(caused.length).toBeGreaterThan(20);
    for (const e of caused.filter((x) => x.kind !== 'service.create' && !x.kind.endsWith('.declared')))
      expect(e.req, `${e.kind} #${e.seq}`).toMatch(/^req-\d$/);

    const ids = [...new Set(events.map((e) => e.req).filter(Boolean))];
    expect(ids).toEqual(['req-1', 'req-2', 'req-3', 'req-4']);
    const first = events.filter((e) => e.req === 'req-1');
    expect(first[0]!.kind).toBe('request.start');
    expect(first.at(-1)!.kind).toBe('request.end');
    // The first request failed during the outage and was retried: its fault, retry delay and
    // later successful call are all its own, although other requests ran in between.
    expect(first.some((e) => e.kind === 'fault.injected')).toBe(true);
    expect(first.some((e) => e.kind === 'retry.scheduled')).toBe(true);
    expect(first.filter((e) => e.kind === 'service.call').length).toBeGreaterThan(1);
    const between = events.filter((e) => e.t > first[0]!.t && e.t < first.at(-1)!.t && e.req !== 'req-1');
    expect(between.length).toBeGreaterThan(0);
    // The agent run outside the workload has its own id.
    expect(events.find((e) => e.kind === 'agent.start' && e.req === 'req-4')).toBeDefined();
    expect(
      events.filter((e) => e.kind === 'sim.start' || e.kind === 'sim.end').every((e) => e.req === undefined),
    ).toBe(true);
  });

  it('are deterministic and survive a JSONL round trip', async () => {
    const a = await simulate({ seed: 4 }, world);
    const b = await simulate({ seed: 4 }, world);
    expect(a.trace.hash).toBe(b.trace.hash);
    const { Trace } = await import('../../src/index.js');
    const back = Trace.fromJSONL(a.trace.toJSONL());
    expect(back.hash).toBe(a.trace.hash);
    expect(back.events.filter((e) => e.req === 'req-2').length).toBe(
      a.trace.events.filter((e) => e.req === 'req-2').length,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { invariants } from '../../src/properties/invariants/index.js';
import { dist } from '../../src/random/dist.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';
import type { Sim } from '../../src/simulators/sim.js';
import { Trace } from '../../src/trace/trace.js';

/*
 * invariants.bulkhead / rateLimiter / loadBalancer / hedge: they hold over many
 * seeds on faultline's own primitives, and each catches a mutant that breaks
 * its rule (the primitive misbehaving against the configuration it declared).
 */

type Mutation =
  | 'none'
  | 'bulkhead-over-limit'
  | 'round-robin-skips'
  | 'limiter-refills-fast'
  | 'weighted-off';

async function world(sim: Sim, mutation: Mutation) {
  const backends = ['a', 'b', 'c'].map((name) =>
    sim.service(name, {
      latency: dist.uniform('20ms', '300ms'),
      faults:
        name === 'c'
          ? [faults.outage({ at: '20s', for: '15s' })]
          : [faults.errors({ rate: 0.1, status: 503 })],
      handle: () => name,
    }),
  );
  const rr = sim.loadBalancer('rr', {
    backends,
    healthCheck: {
      interval: '2s',
      check: (s, signal) => s.call(null, { signal }).then(() => true),
      unhealthyThreshold: 2,
    },
    outlierEjection: { consecutiveFailures: 3, baseEjectionTime: '5s' },
    breaker: { failureThreshold: 4, timeout: '3s', successThreshold: 1 },
  });
  const weighted = sim.loadBalancer('weighted', { backends, strategy: 'weighted', weights: { a: 3, b: 2 } });
  const pool = sim.bulkhead('pool', { maxConcurrent: 2, maxQueue: 3 });
  const limiter = sim.rateLimiter('limiter', { rate: '5/s', burst: 3, mode: 'wait', maxWait: '2s' });
  const h = sim.hedge('hedge', { delay: '100ms', maxAttempts: 3 });
  if (mutation === 'bulkhead-over-limit') Object.defineProperty(pool, 'maxConcurrent', { value: 3 });
  if (mutation === 'limiter-refills-fast')
    Object.defineProperty(limiter, 'intervalMs', { value: limiter.intervalMs / 2 });
  if (mutation === 'round-robin-skips' || mutation === 'weighted-off') {
    const target = (mutation === 'round-robin-skips' ? rr : weighted) as unknown as {
      picker: { pick(eligible: (i: number) => boolean): number };
    };
    const original = target.picker;
    let n = 0;
    target.picker = {
      // every 7th pick skips the backend the strategy chose (if another is eligible)
      pick: (eligible) => {
        const i = original.pick(eligible);
        if (++n % 7 !== 0 || i < 0) return i;
        const j = original.pick((k) => k !== i && eligible(k));
        return j < 0 ? i : j;
      },
    };
  }
  await sim.workload.poisson({ rate: '8/s', for: '50s' }, async (i) => {
    const lb = i % 2 === 0 ? rr : weighted;
    await limiter
      .execute((s1) =>
        pool.execute(
          (s2) => h.execute((_a, s3) => lb.execute((b, s4) => b.call(null, { signal: s4 }), s3), s2),
          s1,
        ),
      )
      .catch(() => undefined);
  });
  rr.close();
}

const catalog = () => [
  invariants.bulkhead(),
  invariants.rateLimiter(),
  invariants.loadBalancer(),
  invariants.hedge(),
];

async function violations(seed: number, mutation: Mutation) {
  const result = await simulate({ seed }, (sim) => world(sim, mutation));
  expect(result.error).toBeUndefined();
  return { result, found: catalog().flatMap((inv) => inv.check(result.trace)) };
}

describe('pattern invariants on faultline’s own primitives', () => {
  it('hold over many seeds (and the traces exercise each rule)', async () => {
    const seen = { queued: 0, waited: 0, health: 0, ejected: 0, hedgeAborted: 0 };
    for (let seed = 1; seed <= 6; seed++) {
      const { result, found } = await violations(seed, 'none');
      expect(found, `seed ${seed}`).toEqual([]);
      const t = result.trace;
      expect(
        invariants.all().flatMap((inv) => inv.check(t)),
        `seed ${seed}`,
      ).toEqual([]);
      seen.queued += t.ofKind('bulkhead.queued').length;
      seen.waited += t.ofKind('rate-limiter.queued').length;
      seen.health += t.ofKind('load-balancer.health').length;
      seen.ejected += t.ofKind('load-balancer.ejected').length;
      seen.hedgeAborted += t.ofKind('hedge.aborted').length;
    }
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
  }, 60_000);
});

describe('mutants are caught', () => {
  it('a bulkhead over its limit', async () => {
    const { found } = await violations(1, 'bulkhead-over-limit');
    expect(found).toContainEqual(
      expect.objectContaining({
        invariant: 'bulkhead',
        expected: '<= 2',
        actual: 3,
        message: expect.stringContaining('maxConcurrent 2'),
      }),
    );
  });

  it('a round-robin that skips a backend', async () => {
    const { found } = await violations(1, 'round-robin-skips');
    expect(found).toContainEqual(
      expect.objectContaining({
        invariant: 'loadBalancer',
        message: expect.stringMatching(/"rr" \(round_robin\) sent call \d+ to/),
      }),
    );
  });

  it('a weighted balancer that strays from smooth weighted round-robin', async () => {
    const { found } = await violations(1, 'weighted-off');
    expect(found).toContainEqual(
      expect.objectContaining({
        invariant: 'loadBalancer',
        message: expect.stringContaining('"weighted" (weighted)'),
      }),
    );
  });

  it('a rate limiter that refills too fast', async () => {
    const { found } = await violations(1, 'limiter-refills-fast');
    expect(found).toContainEqual(
      expect.objectContaining({
        invariant: 'rateLimiter',
        message: expect.stringMatching(/granted \d+ calls in \[/),
      }),
    );
  });

  it('a hedge that leaves a loser running, or starts too many attempts', () => {
    const trace = new Trace();
    trace.record('hedge.declared', 'h', { delay: 100, maxAttempts: 2, budget: false });
    trace.record('hedge.attempt', 'h', { call: 0, attempt: 0, reason: 'first' });
    trace.record('hedge.attempt', 'h', { call: 0, attempt: 1, reason: 'delay' });
    trace.record('hedge.success', 'h', { call: 0, attempt: 1, attempts: 2 });
    expect(invariants.hedge().check(trace)).toEqual([
      expect.objectContaining({
        message: '"h" call 0: attempt 1 won but attempt 0, still running, was not aborted',
      }),
    ]);
    trace.record('hedge.aborted', 'h', { call: 0, attempt: 0 });
    expect(invariants.hedge().check(trace)).toEqual([]);
    trace.record('hedge.attempt', 'h', { call: 1, attempt: 0, reason: 'first' });
    trace.record('hedge.attempt', 'h', { call: 1, attempt: 1, reason: 'delay' });
    trace.record('hedge.attempt', 'h', { call: 1, attempt: 2, reason: 'delay' });
    expect(invariants.hedge().check(trace)).toEqual([
      expect.objectContaining({ expected: '<= 2', actual: 3 }),
    ]);
  });

  it('a load balancer routing to an ejected backend, or ejecting all', () => {
    const trace = new Trace();
    trace.record('load-balancer.declared', 'lb', {
      strategy: 'random',
      backends: ['a', 'b'],
      maxFailover: 1,
      outlierEjection: {
        consecutiveFailures: 1,
        baseEjectionTimeMs: 1,
        maxEjectionTimeMs: 1,
        maxEjectionPercent: 100,
        maxEjected: 1,
      },
    });
    trace.record('load-balancer.ejected', 'lb', {
      backend: 'a',
      times: 1,
      duration: 1,
      until: 1,
      ejected: 1,
    });
    trace.record('load-balancer.picked', 'lb', { call: 0, backend: 'a', attempt: 0 });
    expect(invariants.loadBalancer().check(trace)[0]?.message).toBe(
      '"lb" routed call 0 to a, which was ejected',
    );
    const all = new Trace();
    all.record('load-balancer.declared', 'lb', { strategy: 'random', backends: ['a', 'b'], maxFailover: 1 });
    all.record('load-balancer.ejected', 'lb', { backend: 'a', times: 1, duration: 1, until: 1, ejected: 1 });
    all.record('load-balancer.ejected', 'lb', { backend: 'b', times: 1, duration: 1, until: 1, ejected: 2 });
    expect(invariants.loadBalancer().check(all)[0]?.message).toBe('"lb" ejected every backend');
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { NoHealthyBackendError } from '../../src/errors/no-healthy-backend-error.js';
import { seededRandom } from '../../src/random/random.js';
import { performanceScore } from '../../src/resilience/balancing-strategy.js';
import { type LoadBalancerOptions, loadBalancer } from '../../src/resilience/load-balancer.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { deferred, traceOn } from './helpers.js';

const A = { name: 'a' };
const B = { name: 'b' };
const C = { name: 'c' };

function setup(options: Partial<LoadBalancerOptions<{ name: string }>> = {}) {
  const clock = new ManualClock();
  const trace = traceOn(clock);
  const lb = loadBalancer({ name: 'lb', backends: [A, B, C], clock, trace, ...options });
  return { clock, trace, lb };
}

const pickName = (backend: { name: string }) => backend.name;

async function picks(lb: ReturnType<typeof setup>['lb'], n: number): Promise<string> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await lb.execute(pickName));
  return out.join('');
}

describe('loadBalancer strategies', () => {
  it('round_robin starts at the first backend and cycles', async () => {
    const { lb } = setup();
    expect(await picks(lb, 7)).toBe('abcabca');
  });

  it('weighted is smooth weighted round-robin: { a: 3, b: 1 } gives a a b a', async () => {
    const { lb } = setup({ backends: [A, B], strategy: 'weighted', weights: { a: 3, b: 1 } });
    expect(await picks(lb, 12)).toBe('aaba'.repeat(3));
    const five = setup({ strategy: 'weighted', weights: { a: 5, b: 1, c: 1 } });
    // nginx's documented sequence for weights 5, 1, 1
    expect(await picks(five.lb, 7)).toBe('aabacaa');
  });

  it('least_connections picks the fewest in flight, ties to the earliest', async () => {
    const { lb, clock } = setup({ strategy: 'least_connections' });
    const gates = [deferred(), deferred()];
    const chosen: string[] = [];
    const hold = (k: number) =>
      lb.execute(async (b) => {
        chosen.push(b.name);
        await gates[k]!.promise;
      });
    void hold(0); // a
    void hold(1); // b
    expect(await lb.execute(pickName)).toBe('c');
    gates[1]!.resolve();
    await clock.settle();
    expect(await lb.execute(pickName)).toBe('b');
    expect(chosen).toEqual(['a', 'b']);
  });

  it('random is seeded: the same stream gives the same picks, and every backend is used', async () => {
    const run = async () => picks(setup({ strategy: 'random', random: seededRandom(7).fork('lb') }).lb, 60);
    const first = await run();
    expect(await run()).toBe(first);
    for (const n of 'abc') expect(first).toContain(n);
  });

  it('performance_based prefers the highest 0.7 × success EMA + 0.3 / (1 + latency s)', async () => {
    expect(performanceScore(1, 0)).toBe(1);
    expect(performanceScore(0.9, 1000)).toBeCloseTo(0.7 * 0.9 + 0.15);
    const { lb, clock } = setup({ strategy: 'performance_based', maxFailover: 0 });
    // a starts best (ties to the earliest); a slow answer lowers its score below b and c.
    expect(await lb.execute(pickName)).toBe('a');
    expect(await lb.execute(pickName)).toBe('a');
    const slow = lb.execute(() => clock.sleep(2000));
    await clock.advance(2000);
    await slow;
    expect(await lb.execute(pickName)).toBe('b');
    await lb.execute(() => Promise.reject(new Error('x'))).catch(() => undefined); // b: success EMA 0.9
    expect(await lb.execute(pickName)).toBe('c');
    const m = lb.metrics();
    expect(m[1]!.successRate).toBeCloseTo(0.9);
    expect(m[0]!.latencyMs).toBeCloseTo(200); // EMA: 0 + 0.1 × (2000 − 0)
    expect(m[0]!.successRate).toBe(1);
  });
});

describe('loadBalancer failover and NoHealthyBackendError', () => {
  it('a failure fails over to the next eligible backend, at most maxFailover times', async () => {
    const { lb, trace } = setup({ maxFailover: 1 });
    const tried: string[] = [];
    const error = await lb
      .execute((b) => {
        tried.push(b.name);
        return Promise.reject(new Error(`down ${b.name}`));
      })
      .catch((e: unknown) => e);
    expect(tried).toEqual(['a', 'b']);
    expect(error).toMatchObject({ message: 'down b' });
    expect(trace.ofKind('load-balancer.picked').map((e) => e.data)).toEqual([
      { call: 0, backend: 'a', attempt: 0 },
      { call: 0, backend: 'b', attempt: 1, tried: ['a'] },
    ]);
    const two = setup({ maxFailover: 5 });
    const seen: string[] = [];
    await two.lb
      .execute((b) => {
        seen.push(b.name);
        return Promise.reject(new Error('x'));
      })
      .catch(() => undefined);
    expect(seen).toEqual(['a', 'b', 'c']); // never the same backend twice in one call
    const none = setup({ maxFailover: 0 });
    const once: string[] = [];
    await none.lb
      .execute((b) => {
        once.push(b.name);
        return Promise.reject(new Error('x'));
      })
      .catch(() => undefined);
    expect(once).toEqual(['a']);
  });

  it('a success after failover resolves; errors isFailure rejects are rethrown without failover', async () => {
    const { lb } = setup({ isFailure: (e) => (e as Error).message !== 'not found' });
    await expect(
      lb.execute((b) => (b.name === 'a' ? Promise.reject(new Error('503')) : b.name)),
    ).resolves.toBe('b');
    const tried: string[] = [];
    await expect(
      lb.execute((b) => {
        tried.push(b.name);
        return Promise.reject(new Error('not found'));
      }),
    ).rejects.toThrow('not found');
    expect(tried).toEqual(['c']);
  });

  it('with no eligible backend: NoHealthyBackendError naming each backend and why', async () => {
    const { lb } = setup({
      backends: [A],
      outlierEjection: { consecutiveFailures: 1, maxEjectionPercent: 100 },
      maxFailover: 0,
    });
    await lb.execute(() => Promise.reject(new Error('x'))).catch(() => undefined);
    // a single backend is never ejected (never all backends)
    await expect(lb.execute(pickName)).resolves.toBe('a');
    const h = setup({
      backends: [A, B],
      healthCheck: { interval: 1000, check: () => false, unhealthyThreshold: 1 },
    });
    await h.clock.advance(1000);
    const error = await h.lb.execute(pickName).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoHealthyBackendError);
    expect(error).toMatchObject({
      source: 'lb',
      backends: [
        { name: 'a', reason: 'unhealthy' },
        { name: 'b', reason: 'unhealthy' },
      ],
    });
    expect(h.trace.ofKind('load-balancer.no-backend')).toHaveLength(1);
    h.lb.close();
    expect(h.clock.pendingTimers).toBe(0);
  });
});

describe('loadBalancer health checks', () => {
  it('marks a backend unhealthy at exactly the unhealthyThreshold-th failed check and back after healthyThreshold passes', async () => {
    let bDown = true;
    const { lb, clock, trace } = setup({
      healthCheck: {
        interval: '10s',
        check: (b) => !(b.name === 'b' && bDown),
        unhealthyThreshold: 3,
        healthyThreshold: 2,
      },
    });
    await clock.advance(29_999);
    expect(await picks(lb, 3)).toBe('abc'); // two failed checks: still healthy
    await clock.advance(1);
    expect(await picks(lb, 4)).toBe('acac');
    bDown = false;
    await clock.advance(10_000);
    expect(await picks(lb, 2)).toBe('ac'); // one pass: still unhealthy
    await clock.advance(10_000);
    expect(await picks(lb, 3)).toBe('abc');
    expect(trace.ofKind('load-balancer.health').map((e) => [e.t, e.data])).toEqual([
      [30_000, { backend: 'b', healthy: false }],
      [50_000, { backend: 'b', healthy: true }],
    ]);
    lb.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a check that throws or outlives its timeout fails; a pending check is not started twice', async () => {
    let calls = 0;
    const { lb, clock, trace } = setup({
      backends: [A, B],
      healthCheck: {
        interval: 1000,
        timeout: 1500,
        unhealthyThreshold: 1,
        check: (b, signal) => {
          if (b.name === 'a') throw new Error('boom');
          calls++;
          return new Promise<boolean>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        },
      },
    });
    await clock.advance(1000);
    expect(lb.metrics().map((m) => m.healthy)).toEqual([false, true]);
    await clock.advance(1000); // b's first check still pending at the second round
    expect(calls).toBe(1);
    await clock.advance(499);
    expect(lb.metrics()[1]!.healthy).toBe(true);
    await clock.advance(1);
    expect(lb.metrics()[1]!.healthy).toBe(false);
    const timedOut = trace.ofKind('load-balancer.health-check').find((e) => e.data?.backend === 'b');
    expect(timedOut).toMatchObject({ t: 2500, data: { ok: false, error: { name: 'TimeoutError' } } });
    lb.close();
  });
});

describe('loadBalancer outlier ejection', () => {
  it('ejects after consecutiveFailures for base × times ejected, and returns on time', async () => {
    const { lb, clock, trace } = setup({
      outlierEjection: { consecutiveFailures: 2, baseEjectionTime: '10s', maxEjectionPercent: 50 },
      maxFailover: 0,
    });
    const failB = (b: { name: string }) => (b.name === 'b' ? Promise.reject(new Error('5xx')) : b.name);
    const run = (n: number) => picksWith(lb, n, failB);
    expect(await run(6)).toBe('ab!cab!c'); // b failed twice: ejected
    expect(await run(2)).toBe('ac');
    await clock.advance(9_999);
    expect(await run(2)).toBe('ac');
    await clock.advance(1);
    expect(await run(6)).toBe('ab!cab!c'); // back, with its failure count cleared
    // second ejection lasts 20 s
    await clock.advance(19_999);
    expect(lb.metrics()[1]!.ejected).toBe(true);
    await clock.advance(1);
    expect(lb.metrics()[1]!.ejected).toBe(false);
    expect(trace.ofKind('load-balancer.ejected').map((e) => [e.t, e.data])).toEqual([
      [0, { backend: 'b', times: 1, duration: 10_000, until: 10_000, ejected: 1 }],
      [10_000, { backend: 'b', times: 2, duration: 20_000, until: 30_000, ejected: 1 }],
    ]);
    expect(trace.ofKind('load-balancer.returned').map((e) => e.t)).toEqual([10_000, 30_000]);
  });

  it('never ejects more than maxEjectionPercent (at least one) and never all backends', async () => {
    const { lb, trace } = setup({
      outlierEjection: { consecutiveFailures: 1, maxEjectionPercent: 50 },
      maxFailover: 0,
    });
    await picksWith(lb, 3, () => Promise.reject(new Error('x')));
    expect(lb.metrics().filter((m) => m.ejected)).toHaveLength(1); // floor(3 × 50%) = 1
    expect(trace.ofKind('load-balancer.ejection-skipped').length).toBeGreaterThan(0);
    const all = setup({
      outlierEjection: { consecutiveFailures: 1, maxEjectionPercent: 100 },
      maxFailover: 0,
    });
    await picksWith(all.lb, 6, () => Promise.reject(new Error('x')));
    expect(all.lb.metrics().filter((m) => m.ejected)).toHaveLength(2); // n − 1
    all.lb.close();
    expect(all.lb.metrics().filter((m) => m.ejected)).toHaveLength(0);
    expect(all.clock.pendingTimers).toBe(0);
  });
});

describe('loadBalancer per-backend breakers', () => {
  it('each backend has its own breaker; an open one is skipped until half-open', async () => {
    const { lb, clock, trace } = setup({
      breaker: { failureThreshold: 2, timeout: '5s', successThreshold: 1 },
      maxFailover: 0,
    });
    const failA = (b: { name: string }) => (b.name === 'a' ? Promise.reject(new Error('x')) : b.name);
    await picksWith(lb, 4, failA); // a fails twice (calls 0 and 3): its breaker opens
    expect(lb.breakerOf('a')!.state).toBe('open');
    expect(lb.breakerOf('b')!.state).toBe('closed');
    expect(await picks(lb, 4)).toBe('bcbc');
    await clock.advance(5_000);
    expect(await picks(lb, 3)).toBe('abc');
    expect(lb.breakerOf('a')!.state).toBe('closed');
    expect(trace.ofKind('breaker.state').map((e) => e.actor)).toEqual(['lb/a', 'lb/a', 'lb/a']);
    expect(trace.ofKind('load-balancer.declared')[0]!.data).toMatchObject({
      breakers: { a: 'lb/a', b: 'lb/b', c: 'lb/c' },
    });
  });
});

describe('loadBalancer options', () => {
  it('declares its normalized options in the trace', () => {
    const { trace } = setup({
      strategy: 'weighted',
      weights: { a: 2 },
      healthCheck: { interval: '5s', check: () => true },
      outlierEjection: {},
    });
    expect(trace.events[0]).toMatchObject({
      kind: 'load-balancer.declared',
      actor: 'lb',
      data: {
        strategy: 'weighted',
        backends: ['a', 'b', 'c'],
        weights: { a: 2, b: 1, c: 1 },
        maxFailover: 1,
        healthCheck: { intervalMs: 5000, timeoutMs: 5000, unhealthyThreshold: 3, healthyThreshold: 2 },
        outlierEjection: {
          consecutiveFailures: 5,
          baseEjectionTimeMs: 30_000,
          maxEjectionTimeMs: 300_000,
          maxEjectionPercent: 50,
          maxEjected: 1,
        },
      },
    });
  });

  it('rejects bad options with ConfigError naming the option', () => {
    const bad = (options: object, pattern: RegExp) =>
      expect(() => loadBalancer({ backends: [A, B], ...options } as never)).toThrow(pattern);
    expect(() => loadBalancer({ backends: [] })).toThrow(ConfigError);
    expect(() => loadBalancer({ backends: [A, { name: 'a' }] })).toThrow(/unique names/);
    expect(() => loadBalancer({ backends: [{} as never] })).toThrow(/name/);
    bad({ strategy: 'fastest' }, /loadBalancer\(\{ strategy \}\)/);
    bad({ weights: { a: 2 } }, /weights.*strategy is 'weighted'/);
    bad({ strategy: 'weighted', weights: { z: 2 } }, /weights\.z/);
    bad({ strategy: 'weighted', weights: { a: 0 } }, /weights\.a/);
    bad({ maxFailover: -1 }, /maxFailover/);
    bad({ healthCheck: { interval: '1s' } }, /healthCheck\(\{ check \}\)/);
    bad({ healthCheck: { check: () => true } }, /healthCheck\(\{ interval \}\)/);
    bad({ healthCheck: { interval: 0, check: () => true } }, /interval/);
    bad({ healthCheck: { interval: '1s', check: () => true, every: 1 } }, /healthCheck\(\{ every \}\)/);
    bad({ outlierEjection: { consecutiveFailures: 0 } }, /consecutiveFailures/);
    bad({ outlierEjection: { maxEjectionPercent: 101 } }, /maxEjectionPercent/);
    bad({ outlierEjection: { baseEjectionTime: '1m', maxEjectionTime: '30s' } }, /maxEjectionTime/);
    bad({ breaker: { failureThreshold: 0 } }, /failureThreshold/);
    bad({ backend: [A] }, /loadBalancer\(\{ backend \}\)/);
  });
});

async function picksWith(
  lb: ReturnType<typeof setup>['lb'],
  n: number,
  fn: (b: { name: string }) => unknown,
): Promise<string> {
  let out = '';
  for (let i = 0; i < n; i++) {
    await lb
      .execute(async (b) => {
        out += b.name;
        try {
          await fn(b);
        } catch (error) {
          out += '!';
          throw error;
        }
      })
      .catch(() => undefined);
  }
  return out;
}

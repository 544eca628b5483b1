/*
 * Real cockatiel (3.x) through `faultline/adapters/cockatiel`. Its
 * ConsecutiveBreaker, with cockatiel's documented semantics declared (read
 * from the policy: threshold n, halfOpenAfter, one probe that closes it on
 * success, lazy half-open, a Date.now() clock), over generated fault plans,
 * variable latency and concurrent agents:
 * - keeps every breaker and accounting invariant when no call's result can
 *   outlive the phase it was admitted in (a cockatiel timeout shorter than
 *   halfOpenAfter inside the breaker), and a wrong declaration is caught (the
 *   runs do judge the real breaker);
 * - finding: without such a timeout, a late failure (of a call admitted while
 *   closed) reopens the half-open breaker: cockatiel's closed path calls
 *   `open()` after the await whatever the state has become.
 * The adapter's own behaviour is checked on hand-driven runs.
 */
import {
  ConsecutiveBreaker,
  CountBreaker,
  circuitBreaker,
  handleAll,
  handleType,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { instrumentCockatiel } from '../../src/adapters/cockatiel.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { faults } from '../../src/faults/index.js';
import { arb } from '../../src/properties/arbitraries/index.js';
import { checkResilience, ResilienceCheckError } from '../../src/properties/check-resilience.js';
import { fc } from '../../src/properties/index.js';
import { invariants } from '../../src/properties/invariants/index.js';
import { dist } from '../../src/random/dist.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';
import type { Sim } from '../../src/simulators/sim.js';

const arbitraries = {
  threshold: fc.integer({ min: 1, max: 5 }),
  halfOpenAfter: fc.integer({ min: 2, max: 3000 }),
  /** A cockatiel timeout inside the breaker, as a fraction of halfOpenAfter. */
  timeoutShare: fc.double({ min: 0, max: 0.999, noNaN: true }),
  faults: arb.faultPlan({ horizon: '20s', kinds: ['errors', 'outage', 'latency'] }),
  load: arb.workload(),
};
type Values = {
  threshold: number;
  halfOpenAfter: number;
  timeoutShare: number;
  faults: never[];
  load: { agents: number; requests: number; gapMs: number };
};

interface ScenarioOptions {
  /** Run each call under a cockatiel timeout shorter than halfOpenAfter, inside the breaker. */
  timed: boolean;
  /** Overrides of the declaration read from the policy. */
  declare?: (threshold: number) => object;
}

/** Agents calling a faulty service (latency 10–400 ms) through a real cockatiel breaker. */
function scenario({ timed, declare }: ScenarioOptions) {
  return async (sim: Sim, { threshold, halfOpenAfter, timeoutShare, faults, load }: Values) => {
    const svc = sim.service('svc', { latency: dist.uniform(10, 400), faults, handle: () => 'ok' });
    const breaker = instrumentCockatiel(
      sim,
      'cockatiel',
      circuitBreaker(handleAll, { halfOpenAfter, breaker: new ConsecutiveBreaker(threshold) }),
      declare?.(threshold),
    );
    const perCall = timeout(
      Math.max(1, Math.floor(timeoutShare * halfOpenAfter)),
      TimeoutStrategy.Aggressive,
    );
    const policy = timed ? wrap(breaker, perCall) : breaker;
    const agent = async () => {
      for (let i = 0; i < load.requests; i++) {
        await policy.execute(({ signal }) => svc.call(i, { signal })).catch(() => {});
        await sim.sleep(load.gapMs);
      }
    };
    await Promise.all(Array.from({ length: load.agents }, (_, a) => sim.spawn(`agent-${a}`, agent)));
  };
}

describe('cockatiel ConsecutiveBreaker under generated fault plans', () => {
  it('keeps the breaker and accounting invariants when no result outlives its phase (timeout < halfOpenAfter)', async () => {
    const report = await checkResilience({
      name: 'cockatiel ConsecutiveBreaker, timed calls',
      simulate: { ties: 'random' },
      failures: false,
      numRuns: 200,
      arbitraries,
      invariants: [invariants.breaker(), invariants.accounting()],
      scenario: scenario({ timed: true }) as never,
    });
    expect(report.numRuns).toBe(200);
  });

  it('catches a wrong declaration (threshold + 1): the runs do judge the real breaker', async () => {
    const error = await checkResilience({
      name: 'cockatiel, misdeclared',
      failures: false,
      arbitraries,
      invariants: [invariants.breaker()],
      scenario: scenario({ timed: true, declare: (n) => ({ failureThreshold: n + 1 }) }) as never,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResilienceCheckError);
    const v = (error as ResilienceCheckError).violations[0]!;
    expect(v.invariant).toBe('breaker');
    expect(v.message).toMatch(
      /opened after \d+ consecutive failure\(s\); it must open exactly when they reach failureThreshold/,
    );
  });

  it('finding: without a timeout, a late failure opens the breaker (from half-open, or in a later closed phase)', async () => {
    const options = {
      name: 'cockatiel, untimed calls',
      failures: false as const,
      arbitraries,
      invariants: [invariants.breaker()],
      scenario: scenario({ timed: false }) as never,
    };
    const error = await checkResilience(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResilienceCheckError);
    const e = error as ResilienceCheckError;
    expect(e.violations[0]!.message).toMatch(
      /a late result \(of a call admitted before the last transition\) changed "cockatiel": (half-open|closed) → open/,
    );
    console.log(
      `cockatiel late-result finding: simulation seed ${e.simulationSeed}, fast-check seed ${e.fastCheck.seed}, path ${e.fastCheck.path}\n${e.message}`,
    );
    const again = await checkResilience({
      ...options,
      seed: e.fastCheck.seed,
      path: e.fastCheck.path!,
    }).catch((x: unknown) => x);
    expect((again as ResilienceCheckError).simulationSeed).toBe(e.simulationSeed);
  });
});

describe('instrumentCockatiel', () => {
  /** A run whose body must not fail (an `expect` inside it fails the run, not the test). */
  const run = async (body: (sim: Sim) => Promise<void>) => {
    const result = await simulate({ seed: 5 }, body);
    if (result.error !== undefined) throw result.error;
    return result;
  };

  it('traces admissions, rejections, outcomes and transitions with the declaration read from the policy', async () => {
    const result = await run(async (sim) => {
      const policy = instrumentCockatiel(
        sim,
        'c',
        circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) }),
      );
      const fail = () => policy.execute(() => Promise.reject(new Error('down'))).catch(() => 'failed');
      await fail();
      await fail();
      await expect(policy.execute(() => 'never')).rejects.toMatchObject({ isBrokenCircuitError: true });
      await sim.sleep(1000);
      expect(await policy.execute(async () => 'probe')).toBe('probe');
    });
    expect(result.error).toBeUndefined();
    const breaker = result.trace.events.filter((e) => e.kind.startsWith('breaker.'));
    expect(breaker.map((e) => [e.kind, e.data?.state ?? `${e.data?.from}→${e.data?.to}`])).toEqual([
      ['breaker.declared', 'undefined→undefined'],
      ['breaker.admitted', 'closed'],
      ['breaker.failure', 'closed'],
      ['breaker.admitted', 'closed'],
      ['breaker.failure', 'closed'],
      ['breaker.state', 'closed→open'],
      ['breaker.rejected', 'open'],
      ['breaker.state', 'open→half-open'],
      ['breaker.admitted', 'half-open'],
      ['breaker.success', 'half-open'],
      ['breaker.state', 'half-open→closed'],
    ]);
    expect(breaker[0]!.data).toEqual({
      failureThreshold: 2,
      successThreshold: 1,
      timeout: 1000,
      maxConcurrentCalls: 1,
      mode: 'consecutive',
      halfOpen: 'lazy',
      clockResolution: 1,
    });
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('traces an error the policy does not handle as ignored, and isolation as a manual transition', async () => {
    const result = await run(async (sim) => {
      class Handled extends Error {}
      const policy = instrumentCockatiel(
        sim,
        'c',
        circuitBreaker(handleType(Handled), { halfOpenAfter: 10, breaker: new ConsecutiveBreaker(1) }),
      );
      await policy.execute(() => Promise.reject(new TypeError('not handled'))).catch(() => {});
      const handle = (policy as unknown as { isolate(): { dispose(): void } }).isolate();
      await policy.execute(() => 1).catch(() => {});
      handle.dispose();
      await policy.execute(() => 1);
    });
    const kinds = result.trace.events
      .filter((e) => e.kind.startsWith('breaker.') && e.kind !== 'breaker.declared')
      .map((e) => `${e.kind}:${e.data?.reason ?? e.data?.state}`);
    expect(kinds).toEqual([
      'breaker.admitted:closed',
      'breaker.ignored:closed',
      'breaker.state:isolate',
      'breaker.rejected:isolated',
      'breaker.state:release',
      'breaker.admitted:closed',
      'breaker.success:closed',
    ]);
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('records a policy composed with wrap(), and callers that waited on a half-open probe once', async () => {
    const result = await run(async (sim) => {
      const breaker = instrumentCockatiel(
        sim,
        'c',
        circuitBreaker(handleAll, { halfOpenAfter: 100, breaker: new ConsecutiveBreaker(1) }),
      );
      const policy = wrap(retry(handleAll, { maxAttempts: 0 }), breaker);
      await policy.execute(() => Promise.reject(new Error('x'))).catch(() => {});
      await sim.sleep(100);
      const slow = () => sim.sleep(50).then(() => 'ok');
      // the first call half-opens it and probes; the other two wait for the probe, then run closed
      expect(await Promise.all([policy.execute(slow), policy.execute(slow), policy.execute(slow)])).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
    });
    expect(result.trace.ofKind('breaker.admitted').map((e) => e.data.state)).toEqual([
      'closed',
      'half-open',
      'closed',
      'closed',
    ]);
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('instrumenting again (a new run) replaces the previous instrumentation', async () => {
    const policy = circuitBreaker(handleAll, { halfOpenAfter: 10, breaker: new ConsecutiveBreaker(1) });
    const original = policy.execute;
    let first: Sim | undefined;
    await run(async (sim) => {
      first = sim;
      instrumentCockatiel(sim, 'c', policy);
    });
    const second = await run(async (sim) => {
      instrumentCockatiel(sim, 'c', policy);
      await policy.execute(() => 1);
    });
    expect(first!.trace.ofKind('breaker.admitted')).toHaveLength(0);
    expect(second.trace.ofKind('breaker.admitted')).toHaveLength(1);
    expect(policy.execute).not.toBe(original);
  });

  it('rejects unknown declaration keys, a non-policy, and what it cannot read undeclared', async () => {
    await run(async (sim) => {
      const policy = () =>
        circuitBreaker(handleAll, { halfOpenAfter: 10, breaker: new ConsecutiveBreaker(1) });
      expect(() => instrumentCockatiel(sim, 'c', policy(), { failureTreshold: 2 } as never)).toThrow(
        /instrumentCockatiel\(\{ failureTreshold \}\)/,
      );
      expect(() => instrumentCockatiel(sim, 'c', {} as never)).toThrow(ConfigError);
      const counting = circuitBreaker(handleAll, {
        halfOpenAfter: 10,
        breaker: new CountBreaker({ threshold: 0.5, size: 10 }),
      });
      // a strategy of the user's own: nothing to read
      const own = circuitBreaker(handleAll, {
        halfOpenAfter: 10,
        breaker: { state: 0, success() {}, failure: () => true },
      });
      expect(() => instrumentCockatiel(sim, 'c', own)).toThrow(
        /instrumentCockatiel\(\{ failureThreshold \}\)/,
      );
      expect(() => instrumentCockatiel(sim, 'c', policy(), { mode: 'rate' })).toThrow(/failureRateThreshold/);
      expect(() => instrumentCockatiel(sim, 'c', policy(), { window: { type: 'count', size: 3 } })).toThrow(
        /instrumentCockatiel\(\{ window \}\).*no value unless mode is "rate"/,
      );
      expect(() =>
        instrumentCockatiel(sim, 'c', policy(), {
          mode: 'rate',
          failureRateThreshold: 0.5,
          window: { type: 'buckets', duration: '10s' } as never,
        }),
      ).toThrow(/\{ window \}\)\.buckets/);
      expect(() =>
        instrumentCockatiel(sim, 'c', counting, {
          mode: 'rate',
          failureRateThreshold: 1.5,
          window: { type: 'count', size: 10 },
        }),
      ).toThrow(/failureRateThreshold.*\[0, 1\]/);
    });
  });

  it('traces outcomes as reported for a stand-in policy without a counting strategy', async () => {
    const result = await run(async (sim) => {
      const successes: ((d: { duration: number }) => void)[] = [];
      const none = { dispose() {} };
      const standIn = {
        state: 0,
        async execute<T>(fn: (c: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> {
          const value = await fn({ signal: new AbortController().signal });
          for (const l of successes) l({ duration: 0 });
          return value;
        },
        onHalfOpen: () => none,
        onStateChange: () => none,
        onSuccess: (l: (d: { duration: number }) => void) => {
          successes.push(l);
          return none;
        },
        onFailure: () => none,
      };
      const policy = instrumentCockatiel(sim, 'c', standIn, { failureThreshold: 1, timeout: 10 });
      expect(await policy.execute(() => 'ok')).toBe('ok');
    });
    expect(result.trace.ofKind('breaker.success')).toHaveLength(1);
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('same seed, same trace hash', async () => {
    const once = () =>
      simulate({ seed: 11 }, (sim) =>
        scenario({ timed: true })(sim, {
          threshold: 2,
          halfOpenAfter: 300,
          timeoutShare: 0.5,
          faults: [faults.errors({ rate: 0.4, status: 503 })] as never[],
          load: { agents: 3, requests: 60, gapMs: 40 },
        }),
      );
    const [a, b] = [await once(), await once()];
    expect(a.trace.ofKind('breaker.state').length).toBeGreaterThan(2);
    expect(a.trace.hash).toBe(b.trace.hash);
  });
});

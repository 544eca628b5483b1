/*
 * Real cockatiel (3.x) rate breakers through `faultline/adapters/cockatiel`:
 * CountBreaker and SamplingBreaker, with their rule read from the instance
 * (`failures > threshold × total` after a failure, `samples` counting, a
 * `count` window of `size` or the sampler's bucket `ring`), over generated
 * fault plans, variable latency and concurrent agents, each call under a
 * cockatiel timeout shorter than halfOpenAfter inside the breaker (so no
 * result outlives its phase: the late-result finding is in cockatiel.test.ts).
 * - every breaker and accounting invariant holds, and the runs open the
 *   breaker from closed (the rate rule is exercised);
 * - a wrong declaration is caught (the runs do judge the real breaker);
 * - finding: SamplingBreaker counts calls older than its `duration` (its
 *   buckets rotate once per call, however long the silence), so it opens
 *   where its documented rule ("over the last duration") says it must not.
 */
import {
  CountBreaker,
  circuitBreaker,
  handleAll,
  handleType,
  SamplingBreaker,
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

/**
 * A share in [min, max] spread evenly (fc.double favours the ends: nearly every
 * timeout would be 1 ms and every call would fail, so rates would never be mixed).
 */
const share = (min: number, max: number) =>
  fc.integer({ min: min * 1000, max: max * 1000 }).map((n) => n / 1000);
/** Thresholds with exact ties (1/2, 1/4, …) and arbitrary ones. */
const threshold = fc.oneof(fc.constantFrom(0.2, 0.25, 0.5, 0.75), share(0.01, 0.99));
const common = {
  halfOpenAfter: fc.integer({ min: 2, max: 3000 }),
  /** A cockatiel timeout inside the breaker, as a fraction of halfOpenAfter. */
  timeoutShare: share(0, 0.999),
  faults: arb.faultPlan({ horizon: '20s', kinds: ['errors', 'outage', 'latency'] }),
  load: fc.record({
    agents: fc.integer({ min: 1, max: 4 }),
    requests: fc.integer({ min: 1, max: 40 }),
    gapMs: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2000 })),
  }),
};
const countArbitraries = {
  ...common,
  breaker: fc.record({ threshold, size: fc.integer({ min: 1, max: 20 }), minimumShare: share(0, 1) }),
};
const samplingArbitraries = {
  ...common,
  breaker: fc.record({
    threshold,
    duration: fc.integer({ min: 1, max: 12_000 }),
    minimumRps: fc.option(share(0.1, 20), { nil: undefined }),
  }),
};

type Load = { agents: number; requests: number; gapMs: number };
type Common = { halfOpenAfter: number; timeoutShare: number; faults: never[]; load: Load };
type CountValues = Common & { breaker: { threshold: number; size: number; minimumShare: number } };
type SamplingValues = Common & { breaker: { threshold: number; duration: number; minimumRps?: number } };

const countBreaker = ({ threshold, size, minimumShare }: CountValues['breaker']) =>
  new CountBreaker({ threshold, size, minimumNumberOfCalls: Math.max(1, Math.ceil(minimumShare * size)) });
const samplingBreaker = ({ threshold, duration, minimumRps }: SamplingValues['breaker']) =>
  new SamplingBreaker({ threshold, duration, ...(minimumRps === undefined ? {} : { minimumRps }) });

interface Seen {
  /** closed → open transitions (the rate rule), over all runs. */
  rateOpens: number;
  /** Runs that opened from closed. */
  runsOpening: number;
}

/** Agents calling a faulty service (latency 10–400 ms) through a real cockatiel rate breaker, each call timed inside it. */
function scenario<V extends Common & { breaker: object }>(
  make: (b: V['breaker']) => CountBreaker | SamplingBreaker,
  seen?: Seen,
  declare?: (v: V) => object,
) {
  return async (sim: Sim, v: V) => {
    const svc = sim.service('svc', { latency: dist.uniform(10, 400), faults: v.faults, handle: () => 'ok' });
    const breaker = instrumentCockatiel(
      sim,
      'cockatiel',
      circuitBreaker(handleAll, { halfOpenAfter: v.halfOpenAfter, breaker: make(v.breaker) }),
      declare?.(v),
    );
    const perCall = timeout(
      Math.max(1, Math.floor(v.timeoutShare * v.halfOpenAfter)),
      TimeoutStrategy.Aggressive,
    );
    const policy = wrap(breaker, perCall);
    const agent = async () => {
      for (let i = 0; i < v.load.requests; i++) {
        await policy.execute(({ signal }) => svc.call(i, { signal })).catch(() => {});
        await sim.sleep(v.load.gapMs);
      }
    };
    await Promise.all(Array.from({ length: v.load.agents }, (_, a) => sim.spawn(`agent-${a}`, agent)));
    if (seen) {
      const opens = sim.trace
        .ofKind('breaker.state')
        .filter((e) => e.data.from === 'closed' && e.data.to === 'open');
      seen.rateOpens += opens.length;
      if (opens.length > 0) seen.runsOpening++;
    }
  };
}

const RUNS = 200;

/** RUNS generated runs hold every breaker and accounting rule, and enough of them open from closed to mean it. */
async function holdsAndOpens<V extends Common & { breaker: object }>(
  label: string,
  arbitraries: Record<string, fc.Arbitrary<unknown>>,
  make: (b: V['breaker']) => CountBreaker | SamplingBreaker,
): Promise<void> {
  const seen: Seen = { rateOpens: 0, runsOpening: 0 };
  const report = await checkResilience({
    name: `cockatiel ${label}, timed calls`,
    simulate: { ties: 'random' },
    failures: false,
    numRuns: RUNS,
    arbitraries,
    invariants: [invariants.breaker(), invariants.accounting()],
    scenario: scenario<V>(make, seen) as never,
  });
  expect(report.numRuns).toBe(RUNS);
  console.log(`${label}: ${seen.rateOpens} opening(s) from closed in ${seen.runsOpening} of ${RUNS} runs`);
  expect(seen.runsOpening).toBeGreaterThan(RUNS / 10);
}

/** A check whose declaration of the real breaker is wrong: it must fail, on the breaker rules. */
async function misdeclared<V extends Common & { breaker: object }>(
  name: string,
  arbitraries: Record<string, fc.Arbitrary<unknown>>,
  make: (b: V['breaker']) => CountBreaker | SamplingBreaker,
  declare: (v: V) => object,
): Promise<ResilienceCheckError> {
  const error = await checkResilience({
    name,
    failures: false,
    arbitraries,
    invariants: [invariants.breaker()],
    scenario: scenario<V>(make, undefined, declare) as never,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResilienceCheckError);
  expect((error as ResilienceCheckError).violations[0]!.invariant).toBe('breaker');
  return error as ResilienceCheckError;
}

describe('cockatiel CountBreaker under generated fault plans', () => {
  it('keeps every breaker (failure-rate rule included) and accounting invariant, and opens from closed', () =>
    holdsAndOpens<CountValues>('CountBreaker', countArbitraries, countBreaker));

  it('catches a wrong declaration (half the threshold): the runs do judge the real breaker', async () => {
    const error = await misdeclared<CountValues>(
      'cockatiel CountBreaker, misdeclared',
      countArbitraries,
      countBreaker,
      (v) => ({ failureRateThreshold: v.breaker.threshold / 2 }),
    );
    expect(error.violations[0]!.message).toMatch(
      /reached failures \/ calls > [\d.]+ \(minimumCalls \d+\), so "cockatiel" must open/,
    );
  });
  it("catches a wrong declaration (resilience4j's window, emptied on close without the probe): samples counting is needed", async () => {
    const error = await misdeclared<CountValues>(
      'cockatiel CountBreaker, declared with outcomes counting',
      countArbitraries,
      countBreaker,
      () => ({ rateCounting: 'outcomes' }),
    );
    console.log(`CountBreaker declared with outcomes counting:\n${error.message}`);
  });
});

describe('cockatiel SamplingBreaker under generated fault plans', () => {
  it('keeps every breaker (failure-rate rule over its bucket ring included) and accounting invariant, and opens from closed', () =>
    holdsAndOpens<SamplingValues>('SamplingBreaker', samplingArbitraries, samplingBreaker));

  it('catches a wrong declaration (the documented "last duration" as a time window): its buckets are not one', async () => {
    const error = await misdeclared<SamplingValues>(
      'cockatiel SamplingBreaker, declared as a time window',
      samplingArbitraries,
      samplingBreaker,
      (v) => ({ window: { type: 'time', duration: v.breaker.duration } }),
    );
    console.log(`SamplingBreaker declared with a time window:\n${error.message}`);
  });

  it('catches a wrong declaration (half the threshold)', async () => {
    const error = await misdeclared<SamplingValues>(
      'cockatiel SamplingBreaker, misdeclared',
      samplingArbitraries,
      samplingBreaker,
      (v) => ({ failureRateThreshold: v.breaker.threshold / 2 }),
    );
    expect(error.violations[0]!.message).toMatch(/so "cockatiel" must open/);
  });
});

describe('instrumentCockatiel with a rate breaker', () => {
  /** A run whose body must not fail (an `expect` inside it fails the run, not the test). */
  const run = async (body: (sim: Sim) => Promise<void>, startTime?: number) => {
    const result = await simulate({ seed: 5, ...(startTime === undefined ? {} : { startTime }) }, body);
    if (result.error !== undefined) throw result.error;
    return result;
  };
  const fail = (policy: { execute(fn: () => Promise<never>): Promise<unknown> }) =>
    policy.execute(() => Promise.reject(new Error('down'))).catch(() => 'failed');
  const ok = (policy: { execute(fn: () => string): Promise<unknown> }) => policy.execute(() => 'ok');

  it('declares a CountBreaker exactly and is judged on it, the closing probe starting the new window', async () => {
    const result = await run(async (sim) => {
      const policy = instrumentCockatiel(
        sim,
        'c',
        circuitBreaker(handleAll, {
          halfOpenAfter: 100,
          breaker: new CountBreaker({ threshold: 0.5, size: 4, minimumNumberOfCalls: 3 }),
        }),
      );
      await ok(policy);
      await fail(policy); // 1/2: below minimumNumberOfCalls
      await fail(policy); // 2/3 > 0.5: opens
      expect(policy.state).toBe(1);
      await sim.sleep(100);
      await ok(policy); // probe: closes; the window restarts with this success
      await fail(policy); // [S, F]: below minimumNumberOfCalls 3
      await ok(policy);
      await fail(policy); // [S, F, S, F]: 2/4 is not > 0.5: stays closed (an exact tie)
      expect(policy.state).toBe(0);
      await fail(policy); // [F, S, F, F]: 3/4: opens
      expect(policy.state).toBe(1);
    });
    expect(result.error).toBeUndefined();
    expect(result.trace.ofKind('breaker.declared')[0]!.data).toEqual({
      failureThreshold: 0,
      successThreshold: 1,
      timeout: 100,
      maxConcurrentCalls: 1,
      mode: 'rate',
      halfOpen: 'lazy',
      clockResolution: 1,
      failureRateThreshold: 0.5,
      minimumCalls: 3,
      window: { type: 'count', size: 4 },
      rateComparison: '>',
      rateCounting: 'samples',
    });
    expect(invariants.breaker().check(result.trace)).toEqual([]);
    // Declared as a window cleared on close without the probe (resilience4j's), the same trace is a violation:
    const declared = result.trace.ofKind('breaker.declared')[0]!;
    (declared.data as { rateCounting: string }).rateCounting = 'outcomes';
    expect(invariants.breaker().check(result.trace)[0]?.message).toMatch(
      /2 failure\(s\) in 3 call\(s\) .* must open/,
    );
  });

  it('declares a SamplingBreaker exactly: its bucket ring, and minimumRps as whole calls', async () => {
    const result = await run(async (sim) => {
      // 5 buckets of 200 ms; at least 1000 ms × 3.5 / 1000 = 3.5, so 4 calls
      const breaker = new SamplingBreaker({ threshold: 0.5, duration: 1000, minimumRps: 3.5 });
      const policy = instrumentCockatiel(
        sim,
        's',
        circuitBreaker(handleAll, { halfOpenAfter: 100, breaker }),
      );
      await fail(policy);
      await fail(policy);
      await ok(policy); // 2 of 3: too few calls
      expect(policy.state).toBe(0);
      await fail(policy); // 3 of 4 > 0.5: opens
      expect(policy.state).toBe(1);
    });
    expect(result.error).toBeUndefined();
    expect(result.trace.ofKind('breaker.declared')[0]!.data).toMatchObject({
      mode: 'rate',
      failureRateThreshold: 0.5,
      minimumCalls: 4,
      window: { type: 'ring', buckets: 5, bucketDuration: 200 },
      rateComparison: '>',
      rateCounting: 'samples',
    });
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('finding: a SamplingBreaker counts calls older than its duration (one bucket rotation per call)', async () => {
    const result = await run(async (sim) => {
      // 5 buckets of 200 ms over 1 s; at least 4 calls (minimumRps 4)
      const breaker = new SamplingBreaker({ threshold: 0.5, duration: 1000, minimumRps: 4 });
      const policy = instrumentCockatiel(
        sim,
        's',
        circuitBreaker(handleAll, { halfOpenAfter: 100, breaker }),
      );
      await fail(policy);
      await fail(policy);
      await fail(policy); // 3 calls in the last second: too few
      await sim.sleep(10_000);
      await fail(policy); // 1 call in the last second, yet it opens on the 3 from 10 s ago
      expect(policy.state).toBe(1);
    });
    expect(invariants.breaker().check(result.trace)).toEqual([]);
    // Its documented rule ("over the last duration") as a time window: opening is a violation.
    const declared = result.trace.ofKind('breaker.declared')[0]!;
    (declared.data as { window: unknown }).window = { type: 'time', duration: 1000 };
    expect(invariants.breaker().check(result.trace)[0]?.message).toMatch(
      /"s" opened with 1 failure\(s\) in 1 call\(s\) in its window/,
    );
  });

  it('an error the policy does not handle closes a half-open CountBreaker without restarting its window', async () => {
    class Handled extends Error {}
    const result = await run(async (sim) => {
      const policy = instrumentCockatiel(
        sim,
        'c',
        circuitBreaker(handleType(Handled), {
          halfOpenAfter: 10,
          breaker: new CountBreaker({ threshold: 0.5, size: 3, minimumNumberOfCalls: 2 }),
        }),
      );
      const failHandled = () => policy.execute(() => Promise.reject(new Handled('x'))).catch(() => {});
      await failHandled();
      await failHandled(); // 2/2: opens
      await sim.sleep(10);
      await policy.execute(() => Promise.reject(new TypeError('unhandled'))).catch(() => {}); // probe: closes
      expect(policy.state).toBe(0);
      await failHandled(); // [F, F, F]: the old window still counts, so it opens at once
      expect(policy.state).toBe(1);
    });
    expect(result.trace.ofKind('breaker.success')[0]!.data.error?.name).toBe('TypeError');
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('traces outcomes in the order the breaker is told of them, even when two settle together', async () => {
    const result = await run(async (sim) => {
      const policy = instrumentCockatiel(
        sim,
        'c',
        circuitBreaker(handleAll, {
          halfOpenAfter: 100,
          breaker: new CountBreaker({ threshold: 0.5, size: 2, minimumNumberOfCalls: 1 }),
        }),
      );
      // both functions reject in the same microtask burst: cockatiel opens on the first, the second is late
      await Promise.all([fail(policy), fail(policy)]);
      expect(policy.state).toBe(1);
    });
    const kinds = result.trace.events
      .filter((e) => e.kind.startsWith('breaker.') && e.kind !== 'breaker.declared')
      .map((e) => e.kind);
    expect(kinds).toEqual([
      'breaker.admitted',
      'breaker.admitted',
      'breaker.failure',
      'breaker.state',
      'breaker.failure',
    ]);
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('refuses a rate breaker that has already counted calls, and a SamplingBreaker on a run starting before its bucket size', async () => {
    const used = new CountBreaker({ threshold: 0.5, size: 2 });
    used.success(0);
    await run(async (sim) => {
      expect(() =>
        instrumentCockatiel(sim, 'c', circuitBreaker(handleAll, { halfOpenAfter: 10, breaker: used })),
      ).toThrow(/CountBreaker that has counted no call yet/);
    });
    await run(async (sim) => {
      const sampling = new SamplingBreaker({ threshold: 0.5, duration: 1000 });
      expect(() =>
        instrumentCockatiel(sim, 's', circuitBreaker(handleAll, { halfOpenAfter: 10, breaker: sampling })),
      ).toThrow(ConfigError);
      expect(() =>
        instrumentCockatiel(sim, 's', circuitBreaker(handleAll, { halfOpenAfter: 10, breaker: sampling })),
      ).toThrow(/sim\.epochMs.*bucket size 200/);
    }, 100);
  });

  it('same seed, same trace hash', async () => {
    const once = () =>
      simulate({ seed: 11 }, (sim) =>
        scenario<SamplingValues>(samplingBreaker)(sim, {
          breaker: { threshold: 0.3, duration: 2000, minimumRps: 2 },
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

/*
 * Real opossum (8.x) through `faultline/adapters/opossum`, with opossum's
 * documented semantics declared (read from its options): it opens when, after
 * a failure, failures exceed errorThresholdPercentage % of the fires in its
 * rolling window (rollingCountTimeout in rollingCountBuckets buckets) once
 * volumeThreshold fires were made; a timer half-opens it resetTimeout later;
 * one probe, whose success closes it.
 *
 * Findings (docs/properties.md, "Real libraries"):
 * - opossum issue #819 ("every request passes while half-open") is refuted:
 *   over generated fault plans and concurrent agents, half-open never has more
 *   than one probe in flight; the others are rejected.
 * - A late result does change opossum's state: with no per-call `timeout`, or
 *   one longer than `resetTimeout`, the result of a call admitted before the
 *   breaker opened, arriving while it is half-open, reopens it (a failure) or
 *   closes it with no probe at all (a success).
 */
import CircuitBreaker from 'opossum';
import { describe, expect, it } from 'vitest';
import { instrumentOpossum } from '../../src/adapters/opossum.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { faults } from '../../src/faults/index.js';
import { arb } from '../../src/properties/arbitraries/index.js';
import { checkResilience, ResilienceCheckError } from '../../src/properties/check-resilience.js';
import { fc } from '../../src/properties/index.js';
import { invariants } from '../../src/properties/invariants/index.js';
import { dist } from '../../src/random/dist.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';
import type { Sim } from '../../src/simulators/sim.js';

const options = {
  resetTimeout: fc.integer({ min: 2, max: 3000 }),
  errorThresholdPercentage: fc.integer({ min: 1, max: 99 }),
  volumeThreshold: fc.integer({ min: 0, max: 10 }),
  rollingCountTimeout: fc.integer({ min: 100, max: 20_000 }),
  rollingCountBuckets: fc.integer({ min: 1, max: 10 }),
};
const arbitraries = {
  options: fc.record(options),
  /** opossum's per-call `timeout`, as a fraction of resetTimeout. */
  timeoutShare: fc.double({ min: 0, max: 0.999, noNaN: true }),
  faults: arb.faultPlan({ horizon: '20s', kinds: ['errors', 'outage', 'latency'] }),
  load: arb.workload(),
};
type Values = {
  options: { resetTimeout: number } & Record<string, number>;
  timeoutShare: number;
  faults: never[];
  load: { agents: number; requests: number; gapMs: number };
};

/** Agents calling a faulty service (latency 10–400 ms) through a real opossum breaker; `perCallTimeout` picks opossum's `timeout`. */
function scenario(perCallTimeout: (v: Values) => number | false, seen?: { halfOpenRejections: number }) {
  return async (sim: Sim, v: Values) => {
    const svc = sim.service('svc', { latency: dist.uniform(10, 400), faults: v.faults, handle: () => 'ok' });
    // opossum's timeout does not cancel the call: drain them at the end, as a service shutting down would
    const inFlight: Promise<unknown>[] = [];
    const call = (i: number) => {
      const p = svc.call(i);
      inFlight.push(p.catch(() => {}));
      return p;
    };
    const breaker = instrumentOpossum(
      sim,
      'opossum',
      new CircuitBreaker(call, { ...v.options, timeout: perCallTimeout(v) }),
    );
    const agent = async () => {
      for (let i = 0; i < v.load.requests; i++) {
        await breaker.fire(i).catch(() => {});
        await sim.sleep(v.load.gapMs);
      }
    };
    await Promise.all(Array.from({ length: v.load.agents }, (_, a) => sim.spawn(`agent-${a}`, agent)));
    await Promise.all(inFlight);
    breaker.shutdown();
    if (seen)
      seen.halfOpenRejections += sim.trace
        .ofKind('breaker.rejected')
        .filter((e) => e.data.state === 'half-open').length;
  };
}

/** A per-call timeout shorter than resetTimeout: no result of a call admitted before the opening reaches half-open. */
const shorterThanReset = (v: Values) => Math.max(1, Math.floor(v.timeoutShare * v.options.resetTimeout));

describe('opossum under generated fault plans', () => {
  it('issue #819 refuted: half-open admits one probe at a time; every breaker and accounting invariant holds', async () => {
    const seen = { halfOpenRejections: 0 };
    const report = await checkResilience({
      name: 'opossum, per-call timeout < resetTimeout',
      simulate: { ties: 'random' },
      failures: false,
      numRuns: 200,
      arbitraries,
      invariants: [invariants.breaker(), invariants.accounting()],
      scenario: scenario(shorterThanReset, seen) as never,
    });
    expect(report.numRuns).toBe(200);
    // not vacuous: concurrent callers did reach a half-open breaker with its probe in flight
    console.log(
      `opossum #819 run: ${seen.halfOpenRejections} calls rejected while half-open with the probe in flight`,
    );
    expect(seen.halfOpenRejections).toBeGreaterThan(50);
  });

  it('finding: without a per-call timeout, a late result reopens (or closes) the half-open breaker', async () => {
    const error = await checkResilience({
      name: 'opossum, no per-call timeout',
      failures: false,
      arbitraries,
      invariants: [invariants.breaker()],
      scenario: scenario(() => false) as never,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResilienceCheckError);
    const e = error as ResilienceCheckError;
    expect(e.violations[0]!.message).toMatch(
      /a late result \(of a call admitted before the last transition\) changed "opossum": half-open → (open|closed)/,
    );
    console.log(
      `opossum late-result finding: simulation seed ${e.simulationSeed}, fast-check seed ${e.fastCheck.seed}, path ${e.fastCheck.path}\n${e.message}`,
    );
    // the seed reproduces it
    const again = await checkResilience({
      name: 'opossum, no per-call timeout (replay)',
      failures: false,
      arbitraries,
      invariants: [invariants.breaker()],
      scenario: scenario(() => false) as never,
      seed: e.fastCheck.seed,
      path: e.fastCheck.path!,
    }).catch((x: unknown) => x);
    expect((again as ResilienceCheckError).simulationSeed).toBe(e.simulationSeed);
  });

  it('catches a wrong declaration (a lower errorThresholdPercentage): the rate rule does judge the real breaker', async () => {
    const error = await checkResilience({
      name: 'opossum, misdeclared',
      failures: false,
      arbitraries: {
        ...arbitraries,
        options: fc.record({ ...options, errorThresholdPercentage: fc.constant(60) }),
        faults: arb.faultPlan({ horizon: '20s', kinds: ['errors'] }),
      },
      invariants: [invariants.breaker()],
      scenario: (async (sim: Sim, v: Values) => {
        const svc = sim.service('svc', { latency: '50ms', faults: v.faults, handle: () => 'ok' });
        const breaker = instrumentOpossum(
          sim,
          'opossum',
          new CircuitBreaker((i: number) => svc.call(i), { ...v.options, timeout: shorterThanReset(v) }),
          { failureRateThreshold: 0.3 },
        );
        for (let i = 0; i < v.load.requests; i++) {
          await breaker.fire(i).catch(() => {});
          await sim.sleep(v.load.gapMs);
        }
        breaker.shutdown();
      }) as never,
    }).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(ResilienceCheckError);
    expect((error as ResilienceCheckError).violations[0]!.message).toMatch(
      /must open|it must open only when calls >= minimumCalls/,
    );
  });
});

describe('instrumentOpossum', () => {
  it('a late success closes the half-open breaker with no probe (hand-driven, exact times)', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const breaker = instrumentOpossum(
        sim,
        'o',
        new CircuitBreaker(
          (ms: number, fail: boolean) =>
            sim.sleep(ms).then(() => (fail ? Promise.reject(new Error('x')) : 'ok')),
          {
            timeout: false,
            resetTimeout: 100,
            errorThresholdPercentage: 50,
            volumeThreshold: 1,
          },
        ),
      );
      const slow = breaker.fire(500, false); // admitted while closed, answers at 500 ms
      await breaker.fire(10, true).catch(() => {}); // 1 failure of 2 fires: 50 %, not > 50
      await breaker.fire(10, true).catch(() => {}); // 2 of 3: opens at 20 ms, half-open at 120 ms
      expect(breaker.opened).toBe(true);
      await sim.sleep(200);
      expect(breaker.halfOpen).toBe(true);
      expect(await slow).toBe('ok'); // at 500 ms: opossum closes on it
      expect(breaker.closed).toBe(true);
      breaker.shutdown();
    });
    expect(result.error).toBeUndefined();
    expect(result.trace.ofKind('breaker.state').map((e) => `${e.t} ${e.data.from}→${e.data.to}`)).toEqual([
      '20 closed→open',
      '120 open→half-open',
      '500 half-open→closed',
    ]);
    const [v] = invariants.breaker().check(result.trace);
    expect(v?.message).toBe(
      'a late result (of a call admitted before the last transition) changed "o": half-open → closed; late results must change nothing',
    );
  });

  it('reads the declaration from the options, and traces rejections, timeouts and capacity failures', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const breaker = instrumentOpossum(
        sim,
        'o',
        new CircuitBreaker((ms: number) => sim.sleep(ms).then(() => 'ok'), {
          timeout: 100,
          capacity: 1,
          resetTimeout: 1000,
          errorThresholdPercentage: 10,
          volumeThreshold: 3,
          rollingCountTimeout: 5000,
          rollingCountBuckets: 5,
        }),
      );
      const held = breaker.fire(50);
      await breaker.fire(1).catch(() => {}); // capacity 1: semaphore-locked, a failure
      await held;
      await breaker.fire(500).catch(() => {}); // opossum times it out at 100 ms: a failure; 2 of 3, opens
      await expect(breaker.fire(1)).rejects.toMatchObject({ code: 'EOPENBREAKER' });
      breaker.shutdown();
    });
    expect(result.error).toBeUndefined();
    expect(result.trace.ofKind('breaker.declared')[0]!.data).toEqual({
      failureThreshold: 0,
      successThreshold: 1,
      timeout: 1000,
      maxConcurrentCalls: 1,
      mode: 'rate',
      halfOpen: 'eager',
      failureRateThreshold: 0.1,
      minimumCalls: 3,
      window: { type: 'buckets', duration: 5000, buckets: 5 },
      rateComparison: '>',
      rateCounting: 'fires',
    });
    const kinds = result.trace.events
      .filter((e) => e.kind.startsWith('breaker.') && e.kind !== 'breaker.declared')
      .map((e) => `${e.t} ${e.kind.slice(8)} ${e.data?.state ?? e.data?.to}`);
    expect(kinds).toEqual([
      '0 admitted closed',
      '0 admitted closed',
      '0 failure closed',
      '50 success closed',
      '50 admitted closed',
      '150 failure closed',
      '150 state open',
      '150 rejected open',
    ]);
    expect(invariants.breaker().check(result.trace)).toEqual([]);
  });

  it('refuses options the declaration cannot describe, and unknown declaration keys', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const make = (o: object) => new CircuitBreaker(async () => 1, o);
      for (const [option, value] of [
        ['cache', true],
        ['coalesce', true],
        ['allowWarmUp', true],
      ] as const) {
        const b = make({ [option]: value });
        expect(() => instrumentOpossum(sim, 'o', b)).toThrow(new RegExp(`breaker\\.options\\.${option}`));
        b.shutdown();
      }
      const b = make({});
      expect(() => instrumentOpossum(sim, 'o', b, { resetTimout: 1 } as never)).toThrow(
        /instrumentOpossum\(\{ resetTimout \}\): got 1; expected one of the known options: failureThreshold/,
      );
      expect(() => instrumentOpossum(sim, 'o', {} as never)).toThrow(ConfigError);
      b.shutdown();
    });
    expect(result.error).toBeUndefined();
  });

  it('instrumenting again replaces the previous instrumentation; shutdown ends it', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const breaker = new CircuitBreaker(async () => 'ok', {});
      instrumentOpossum(sim, 'first', breaker);
      instrumentOpossum(sim, 'second', breaker);
      await breaker.fire();
      breaker.shutdown();
    });
    const actors = (kind: string) => result.trace.ofKind(kind).map((e) => e.actor);
    expect(actors('breaker.declared')).toEqual(['first', 'second']);
    expect(actors('breaker.admitted')).toEqual(['second']);
    expect(actors('breaker.success')).toEqual(['second']);
  });

  it('same seed, same trace hash', async () => {
    const once = () =>
      simulate({ seed: 3 }, (sim) =>
        scenario(shorterThanReset)(sim, {
          options: {
            resetTimeout: 300,
            errorThresholdPercentage: 30,
            volumeThreshold: 3,
            rollingCountTimeout: 1000,
            rollingCountBuckets: 4,
          },
          timeoutShare: 0.5,
          faults: [faults.errors({ rate: 0.4, status: 503 })] as never[],
          load: { agents: 3, requests: 60, gapMs: 40 },
        }),
      );
    const [a, b] = [await once(), await once()];
    expect(a.trace.ofKind('breaker.state').length).toBeGreaterThan(2);
    expect(a.trace.hash).toBe(b.trace.hash);
    // shutdown() leaves no timer of opossum's (rolling window, snapshots, reset) behind
    expect(invariants.noLeaks().check(a.trace)).toEqual([]);
  });
});

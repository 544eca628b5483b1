import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { arb } from '../../src/properties/arbitraries/index.js';
import { checkResilience, ResilienceCheckError } from '../../src/properties/check-resilience.js';
import { readPropertyFailure } from '../../src/properties/failure-store.js';
import { invariants } from '../../src/properties/invariants/index.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';
import type { Sim } from '../../src/simulators/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-graveyard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** faultline's breaker, declared with a threshold the test chooses, against generated error faults. */
function property(failureThreshold: number, numRuns = 40) {
  return {
    name: `breaker threshold ${failureThreshold}`,
    arbitraries: { faults: arb.faultPlan({ horizon: '5s', kinds: ['errors' as const] }) },
    scenario: async (
      sim: Sim,
      { faults }: { faults: ReturnType<typeof arb.faultPlan> extends fc.Arbitrary<infer F> ? F : never },
    ) => {
      const svc = sim.service('llm', { latency: '10ms', faults, handle: () => 'ok' });
      const breaker = sim.breaker('llm', { failureThreshold, timeout: '1s' });
      for (let i = 0; i < 30; i++) {
        await breaker.execute(() => svc.call(i)).catch(() => {});
        await sim.sleep('100ms');
      }
    },
    numRuns,
    failures: dir,
  };
}

describe('checkResilience', () => {
  it('resolves when every run holds', async () => {
    await expect(checkResilience(property(3))).resolves.toEqual({ numRuns: 40, replayed: 0 });
  });

  it('reports a violation with the invariant, the counterexample, the seeds, a rerun and the trace; saves it; replays it first', async () => {
    const broken = invariants.define('never opens', (trace) =>
      trace
        .ofKind('breaker.state')
        .map((e) => ({ message: 'the breaker opened', event: { seq: e.seq, t: e.t, kind: e.kind } })),
    );
    const options = { ...property(2), name: 'never opens', invariants: [broken] };
    const error = (await checkResilience(options).catch((e) => e)) as ResilienceCheckError;
    expect(error).toBeInstanceOf(ResilienceCheckError);
    expect(error.message).toContain('invariant "never opens" violated: the breaker opened');
    expect(error.message).toMatch(/at event #\d+ \(breaker\.state\), virtual time \d+ ms/);
    expect(error.message).toContain('counterexample (paste into a test):');
    expect(error.message).toContain('faults.errors(');
    expect(error.message).toContain(`simulation seed: ${error.simulationSeed}`);
    expect(error.message).toContain(
      `fast-check: seed ${error.fastCheck.seed}, path "${error.fastCheck.path}"`,
    );
    expect(error.message).toContain('rerun: ');
    expect(error.message).toContain('> {"actor":"llm"');
    // shrunk toward one fault
    expect((error.counterexample.faults as unknown[]).length).toBe(1);
    // saved, with revivable faults, and replayed first next time (before any generation)
    const saved = readPropertyFailure(error.file!);
    expect(saved).toMatchObject({
      name: 'never opens',
      seed: error.simulationSeed,
      invariant: 'never opens',
    });
    expect(typeof (saved.inputs.faults as Array<{ start: unknown }>)[0]!.start).toBe('function');
    const again = (await checkResilience(options).catch((e) => e)) as ResilienceCheckError;
    expect(again.message).toContain('a saved failure');
    expect(again.simulationSeed).toBe(error.simulationSeed);
    // once it passes, the saved failure is forgotten
    await expect(checkResilience({ ...options, invariants: [] })).resolves.toMatchObject({ replayed: 1 });
    expect(readdirSync(dir).filter((f) => f.startsWith('never-opens'))).toEqual([]);
  });

  it('a scenario that throws is a failure with the same report', async () => {
    const error = (await checkResilience({
      arbitraries: { n: fc.integer({ min: 0, max: 100 }) },
      scenario: (_sim, { n }) => {
        if (n > 10) throw new Error(`too big: ${n}`);
      },
      failures: false,
    }).catch((e) => e)) as ResilienceCheckError;
    expect(error.violations[0]).toMatchObject({
      invariant: 'scenario',
      message: 'the scenario threw: Error: too big: 11',
    });
    expect(error.counterexample).toEqual({ n: 11 });
  });

  it('is deterministic: the same seed gives the same counterexample and simulation seed', async () => {
    const run = () =>
      checkResilience({
        arbitraries: { n: fc.integer({ min: 0, max: 1000 }) },
        scenario: async (sim, { n }) => {
          await sim.sleep(n);
          if (sim.random.next() < 0.3) throw new Error('unlucky');
        },
        seed: 7,
        failures: false,
      }).then(
        () => 'passed',
        (e: ResilienceCheckError) => [e.simulationSeed, e.counterexample, e.fastCheck.path],
      );
    const first = await run();
    // a failure to compare: two passing checks are trivially equal
    expect(first).toEqual([expect.any(Number), { n: expect.any(Number) }, expect.any(String)]);
    expect(await run()).toEqual(first);
  });

  it('rejects bad options with ConfigError', async () => {
    await expect(checkResilience({ arbitraries: { x: 1 as never }, scenario: () => {} })).rejects.toThrow(
      ConfigError,
    );
    await expect(
      checkResilience({ arbitraries: {}, scenario: () => {}, numRun: 5 } as never),
    ).rejects.toThrow(/numRun/);
    expect(() => arb.faultPlan({ horizon: '1m', kinds: ['nope' as never] })).toThrow(/kinds/);
  });
});

describe('with @fast-check/vitest', () => {
  fcTest.prop([arb.breakerConfig(), arb.faultPlan({ horizon: '10s' })], { numRuns: 15 })(
    'faultline’s breaker keeps the breaker invariants',
    async (config, faults) => {
      const result = await simulate({ seed: 1 }, async (sim) => {
        const svc = sim.service('llm', { latency: '20ms', faults, handle: () => 'ok' });
        const breaker = sim.breaker('llm', config);
        for (let i = 0; i < 40; i++) {
          await breaker.execute(() => svc.call(i)).catch(() => {});
          await sim.sleep('250ms');
        }
      });
      expect(invariants.breaker().check(result.trace)).toEqual([]);
    },
  );
});

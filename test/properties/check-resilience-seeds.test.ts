import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { checkResilience, type ResilienceCheckError } from '../../src/properties/check-resilience.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';

// How checkResilience reads FAULTLINE_SEED and FAULTLINE_RUN: the variable is the property's
// (fast-check's) seed; each run inside keeps the seed it draws from it; the call itself is one
// numbered call of its test, like a simulate.

const FILE = 'test/properties/check-resilience-seeds.test.ts';

/** A property whose failures depend on the simulation seed, so a wrong seed shows. */
function unlucky(seed?: number) {
  const seen: unknown[] = [];
  const run = checkResilience({
    arbitraries: { n: fc.integer({ min: 0, max: 1000 }) },
    scenario: async (sim, { n }) => {
      seen.push(sim.seed);
      await sim.sleep(n);
      if (sim.random.next() < 0.2) throw new Error('unlucky');
    },
    numRuns: 30,
    ...(seed === undefined ? {} : { seed }),
    failures: false,
  }).then(
    () => undefined,
    (e: ResilienceCheckError) => e,
  );
  return { seen, run };
}

function summary(error: ResilienceCheckError | undefined) {
  return error && [error.simulationSeed, error.counterexample, error.fastCheck];
}

afterEach(() => {
  delete process.env.FAULTLINE_SEED;
  delete process.env.FAULTLINE_RUN;
});

describe('checkResilience and the seed variables', () => {
  it("under FAULTLINE_SEED each run keeps the seed drawn from the property's seed", async () => {
    const option = unlucky(9);
    const optionError = await option.run;
    process.env.FAULTLINE_SEED = '9';
    const env = unlucky(12345);
    const envError = await env.run;
    expect(env.seen).toEqual(option.seen);
    expect(new Set(env.seen).size).toBeGreaterThan(10);
    expect(env.seen).not.toContain(9);
    expect(optionError).toBeDefined();
    expect(summary(envError)).toEqual(summary(optionError));
  });

  let printed: { rerun: string; error: ResilienceCheckError } | undefined;
  it('after a simulate in the same test, its command selects it with FAULTLINE_RUN=2', async () => {
    const before = await simulate({ seed: 11 }, () => 0);
    expect(before.rerun).toMatch(/^FAULTLINE_SEED=11 npx /);
    const error = (await unlucky(4).run)!;
    const rerun = /^rerun: (.*)$/m.exec(error.message)![1]!;
    expect(rerun).toBe(
      `FAULTLINE_SEED=4 FAULTLINE_RUN=2 npx vitest run ${FILE} -t 'after a simulate in the same test, its command selects it with FAULTLINE_RUN=2'`,
    );
    printed = { rerun, error };
  });

  it('that command replays the property and leaves the simulate before it on its own seed', async () => {
    process.env.FAULTLINE_SEED = '4';
    process.env.FAULTLINE_RUN = '2';
    const before = await simulate({ seed: 11 }, () => 0);
    expect(before.seed).toBe(11);
    const error = await unlucky(777).run;
    expect(summary(error)).toEqual(summary(printed!.error));
  });

  it('ignores FAULTLINE_SEED when FAULTLINE_RUN selects another call of the test', async () => {
    process.env.FAULTLINE_SEED = '5';
    process.env.FAULTLINE_RUN = '2';
    const first = await unlucky(7).run;
    expect(first?.fastCheck.seed).toBe(7);
    const second = await unlucky(7).run;
    expect(second?.fastCheck.seed).toBe(5);
  });

  it("a kernel failure inside a run names the property's command, not the run's seed", async () => {
    const error = (await checkResilience({
      arbitraries: { n: fc.integer() },
      scenario: () => new Promise(() => {}),
      numRuns: 1,
      seed: 3,
      failures: false,
    }).catch((e: unknown) => e)) as ResilienceCheckError;
    expect(error.violations[0]!.invariant).toBe('kernel');
    expect(error.violations[0]!.message).toContain(
      `rerun: FAULTLINE_SEED=3 npx vitest run ${FILE} -t 'a kernel failure inside a run names`,
    );
    expect(error.violations[0]!.message).not.toContain(`FAULTLINE_SEED=${error.simulationSeed} `);
  });

  it('rejects a bad FAULTLINE_RUN with ConfigError', async () => {
    process.env.FAULTLINE_SEED = '5';
    process.env.FAULTLINE_RUN = '0';
    const error = await unlucky().run.catch((e: unknown) => e);
    expect(ConfigError.is(error)).toBe(true);
    expect((error as ConfigError).path).toBe('FAULTLINE_RUN');
  });
});

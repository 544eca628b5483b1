import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, type Sim, type SimulationResult, simulate } from '../../../src/index.js';
import { rerunOf } from '../../../src/simulators/kernel/rerun.js';
import { randomScenario } from '../../fixtures/random-scenario.js';

// FAULTLINE_RUN=<k>: FAULTLINE_SEED applies to the k-th simulate call of the test only.

const FILE = 'test/simulators/kernel/run-selection.test.ts';

async function failing(sim: Sim): Promise<never> {
  await randomScenario(sim);
  throw new Error('the third run fails');
}

/** A test's three runs: seeds 11 and 22, then a failing one with `third`. */
async function threeRuns(third: number): Promise<SimulationResult[]> {
  return [
    await simulate({ seed: 11 }, randomScenario),
    await simulate({ seed: 22 }, randomScenario),
    await simulate({ seed: third }, failing),
  ];
}

/** The variables a printed command sets (the assignments before `npx`). */
function envOf(command: string): Record<string, string> {
  const assignments = command.slice(0, command.indexOf(' npx '));
  return Object.fromEntries(assignments.split(' ').map((a) => a.split('=') as [string, string]));
}

function command(seed: number, name: string, run?: number): string {
  const selector = run ? ` FAULTLINE_RUN=${run}` : '';
  return `FAULTLINE_SEED=${seed}${selector} npx vitest run ${FILE} -t '${name}'`;
}

/** Each seed's run made alone, outside any test (a beforeAll: not numbered). */
const alone = new Map<string, string>();
beforeAll(async () => {
  for (const seed of [11, 22, 33, 77]) {
    alone.set(`ok ${seed}`, (await simulate({ seed }, randomScenario)).trace.hash);
    alone.set(`failing ${seed}`, (await simulate({ seed }, failing)).trace.hash);
  }
  expect(new Set(alone.values()).size).toBe(8);
});

afterEach(() => {
  delete process.env.FAULTLINE_SEED;
  delete process.env.FAULTLINE_RUN;
});

describe('FAULTLINE_RUN selects one run of a test', () => {
  let printed: string | undefined;

  it('prints FAULTLINE_RUN=<k> in the command of the k-th run, from the second on', async () => {
    const [a, b, c] = await threeRuns(33);
    const name = 'prints FAULTLINE_RUN=<k> in the command of the k-th run, from the second on';
    expect(c!.outcome).toBe('failed');
    expect(a!.rerun).toBe(command(11, name));
    expect(b!.rerun).toBe(command(22, name, 2));
    expect(c!.rerun).toBe(command(33, name, 3));
    printed = c!.rerun;
  });

  it('the printed values replay the failing run with its seed and the others with their own', async () => {
    Object.assign(process.env, envOf(printed!));
    expect(process.env.FAULTLINE_RUN).toBe('3');
    const [a, b, c] = await threeRuns(1000 + Math.floor(Math.random() * 1e9));
    expect([a!.seed, b!.seed, c!.seed]).toEqual([11, 22, 33]);
    expect(a!.trace.hash).toBe(alone.get('ok 11'));
    expect(b!.trace.hash).toBe(alone.get('ok 22'));
    expect(c!.trace.hash).toBe(alone.get('failing 33'));
    expect(c!.outcome).toBe('failed');
    // the replayed run prints the same selection again
    expect(c!.rerun).toMatch(/^FAULTLINE_SEED=33 FAULTLINE_RUN=3 npx vitest run /);
  });

  it('selects only the k-th run: FAULTLINE_RUN=2 leaves runs 1 and 3 on their own seeds', async () => {
    process.env.FAULTLINE_SEED = '77';
    process.env.FAULTLINE_RUN = '2';
    const [a, b, c] = await threeRuns(33);
    expect([a!.seed, b!.seed, c!.seed]).toEqual([11, 77, 33]);
    expect(b!.trace.hash).toBe(alone.get('ok 77'));
    expect(c!.trace.hash).toBe(alone.get('failing 33'));
  });

  it('FAULTLINE_SEED alone still overrides every run, and its commands need no FAULTLINE_RUN', async () => {
    process.env.FAULTLINE_SEED = '33';
    const [a, b, c] = await threeRuns(5);
    expect([a!.seed, b!.seed, c!.seed]).toEqual([33, 33, 33]);
    expect(a!.trace.hash).toBe(alone.get('ok 33'));
    expect(b!.trace.hash).toBe(alone.get('ok 33'));
    expect(c!.trace.hash).toBe(alone.get('failing 33'));
    const name = 'FAULTLINE_SEED alone still overrides every run, and its commands need no FAULTLINE_RUN';
    expect(c!.rerun).toBe(command(33, name));
  });

  const replays: string[][] = [];
  it.each([1, 2])(
    'the same selection replays the same runs (%i of 2; each row counts from 1)',
    async (row) => {
      process.env.FAULTLINE_SEED = '33';
      process.env.FAULTLINE_RUN = '3';
      const runs = await threeRuns(7);
      expect(runs.map((r) => r.seed)).toEqual([11, 22, 33]);
      replays.push(runs.map((r) => r.trace.hash));
      if (row === 2) expect(replays[1]).toEqual(replays[0]);
    },
  );
});

describe('counting', () => {
  it('restarts in each test (this one: a first run)', async () => {
    const first = await simulate({ seed: 3 }, () => 0);
    expect(first.rerun).not.toContain('FAULTLINE_RUN');
    const second = await simulate({ seed: 3 }, () => 0);
    expect(second.rerun).toContain('FAULTLINE_SEED=3 FAULTLINE_RUN=2 ');
  });

  it('restarts in each test (this one too)', async () => {
    expect((await simulate({ seed: 3 }, () => 0)).rerun).not.toContain('FAULTLINE_RUN');
    expect((await simulate({ seed: 3 }, () => 0)).rerun).toContain('FAULTLINE_RUN=2 ');
  });

  const attempts: Array<{ seeds: unknown[]; reruns: string[] }> = [];
  it('restarts in each attempt of a retried test (the first attempt fails on purpose)', {
    retry: 1,
  }, async () => {
    process.env.FAULTLINE_SEED = '77';
    process.env.FAULTLINE_RUN = '2';
    const runs = [await simulate({ seed: 11 }, () => 0), await simulate({ seed: 22 }, () => 0)];
    attempts.push({ seeds: runs.map((r) => r.seed), reruns: runs.map((r) => r.rerun) });
    if (attempts.length === 1) throw new Error('first attempt fails on purpose; the retry must count from 1');
    expect(attempts[1]).toEqual(attempts[0]);
    expect(attempts[1]!.seeds).toEqual([11, 77]);
    expect(attempts[1]!.reruns[1]).toContain('FAULTLINE_SEED=77 FAULTLINE_RUN=2 ');
  });

  it('counts calls that fail; checkDeterminism and a result replay are not new calls', async () => {
    await expect(simulate({ seed: 1, maxSteps: 0 }, () => 0)).rejects.toThrow(ConfigError);
    const second = await simulate({ seed: 4, checkDeterminism: true }, randomScenario);
    expect(second.rerun).toContain('FAULTLINE_SEED=4 FAULTLINE_RUN=2 ');
    const replayed = await rerunOf(second)!(); // what toBeDeterministic() runs: not a new call
    expect(replayed.rerun).toBe(second.rerun);
    expect((await simulate({ seed: 4 }, () => 0)).rerun).toContain('FAULTLINE_RUN=3 ');
  });
});

describe('a beforeEach runs inside its test', () => {
  let hooked: SimulationResult | undefined;
  beforeEach(async () => {
    hooked = await simulate({ seed: 11 }, () => 0);
  });

  it("and its run counts as the test's first", async () => {
    expect(hooked!.rerun).toMatch(/^FAULTLINE_SEED=11 npx vitest run .* -t 'and its run counts/);
    const own = await simulate({ seed: 22 }, () => 0);
    expect(own.rerun).toMatch(/^FAULTLINE_SEED=22 FAULTLINE_RUN=2 npx vitest run .* -t 'and its run counts/);
  });
});

describe('runs outside a test are not numbered', () => {
  const hooked: SimulationResult[] = [];
  beforeAll(async () => {
    process.env.FAULTLINE_SEED = '77';
    process.env.FAULTLINE_RUN = '1';
    try {
      hooked.push(await simulate({ seed: 11 }, () => 0), await simulate({ seed: 22 }, () => 0));
    } finally {
      delete process.env.FAULTLINE_SEED;
      delete process.env.FAULTLINE_RUN;
    }
  });

  it('a beforeAll run keeps its own seed under FAULTLINE_RUN, and its command stays as before', () => {
    expect(hooked.map((r) => r.seed)).toEqual([11, 22]);
    expect(hooked[1]!.rerun).toBe(`FAULTLINE_SEED=22 npx vitest run ${FILE}`);
  });
});

describe('bad FAULTLINE_RUN', () => {
  const realSetTimeout = globalThis.setTimeout;
  const realDate = globalThis.Date;
  const realRandom = Math.random;

  it.each(['0', '-1', 'x', '1.5', '1e3', '+2', '2 3'])(
    'FAULTLINE_RUN=%s fails fast with ConfigError, nothing patched',
    async (value) => {
      process.env.FAULTLINE_SEED = '5';
      process.env.FAULTLINE_RUN = value;
      let called = false;
      const error = await simulate({ seed: 1 }, () => {
        called = true;
      }).catch((e: unknown) => e);
      expect(ConfigError.is(error)).toBe(true);
      expect((error as ConfigError).path).toBe('FAULTLINE_RUN');
      expect((error as Error).message).toContain(`got ${JSON.stringify(value)}; expected a positive integer`);
      expect(called).toBe(false);
      expect(globalThis.setTimeout).toBe(realSetTimeout);
      expect(globalThis.Date).toBe(realDate);
      expect(Math.random).toBe(realRandom);
      delete process.env.FAULTLINE_RUN;
      expect((await simulate({ seed: 1 }, () => 'next run works')).value).toBe('next run works');
    },
  );

  it('FAULTLINE_RUN without FAULTLINE_SEED selects nothing: ConfigError', async () => {
    process.env.FAULTLINE_RUN = '2';
    const error = await simulate({ seed: 1 }, () => 0).catch((e: unknown) => e);
    expect(ConfigError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /FAULTLINE_RUN: got "2"; expected to be set together with FAULTLINE_SEED/,
    );
  });

  it('accepts leading zeros and spaces, and treats an empty value as unset', async () => {
    process.env.FAULTLINE_SEED = '77';
    process.env.FAULTLINE_RUN = ' 02 ';
    const [a, b] = [await simulate({ seed: 11 }, () => 0), await simulate({ seed: 22 }, () => 0)];
    expect([a.seed, b.seed]).toEqual([11, 77]);
    process.env.FAULTLINE_RUN = '';
    expect((await simulate({ seed: 11 }, () => 0)).seed).toBe(77);
  });
});

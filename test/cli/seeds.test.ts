import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/execute.js';
import { ignoredSeedEnvNote } from '../../src/cli/seed-env.js';
import { scenario } from '../../src/index.js';
import { isScenario, type Scenario } from '../../src/simulators/kernel/scenario.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';
import type { Sim } from '../../src/simulators/sim.js';
import { failingSeeds, faultline, tempProjects } from './helpers.js';

/*
 * The command runs exactly the seeds it names, whatever FAULTLINE_SEED and
 * FAULTLINE_RUN say (left exported after replaying a test, or set by CI), and
 * every rerun command it prints is its own replay command.
 */

const flaky = 'test/cli/fixtures/flaky-llm.ts';
const unlucky = join(process.cwd(), 'test/cli/fixtures/unlucky.mjs');
const runaway = join(process.cwd(), 'test/cli/fixtures/runaway.mjs');
const project = tempProjects();

function hashOf(stdout: string): string {
  const m = /hash ([0-9a-f]{16})/.exec(stdout);
  if (!m) throw new Error(`no hash in output:\n${stdout}`);
  return m[1]!;
}

function savedHashes(cwd: string): string[] {
  const dir = join(cwd, '.faultline/failures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).traceHash as string);
}

const NOTE = /^faultline: note: FAULTLINE_SEED=3 is ignored: the faultline command runs the seeds it names/m;

describe('faultline run and replay under FAULTLINE_SEED', () => {
  it('run --seed 5 runs seed 5: the same trace hash as without the variable, twice over, and one note on stderr', async () => {
    const [plain, again, seeded, selected] = await Promise.all([
      faultline(['run', flaky, '--seed', '5']),
      faultline(['run', flaky, '--seed', '5']),
      faultline(['run', flaky, '--seed', '5'], { env: { FAULTLINE_SEED: '3' } }),
      faultline(['run', flaky, '--seed', '5'], { env: { FAULTLINE_SEED: '3', FAULTLINE_RUN: '1' } }),
    ]);
    expect(plain.stderr).toBe('');
    expect(hashOf(again.stdout)).toBe(hashOf(plain.stdout)); // deterministic from the command line
    for (const r of [seeded, selected]) {
      expect(r.code).toBe(plain.code);
      expect(r.stdout).toContain('scenario "flaky llm" · seed 5');
      expect(r.stdout).toMatch(/· seed 5 · virtual/);
      expect(hashOf(r.stdout)).toBe(hashOf(plain.stdout));
      expect(r.stdout).toContain(`replay: faultline replay ${flaky} --seed 5`);
    }
    expect(seeded.stderr).toMatch(NOTE);
    expect(seeded.stderr).toContain(`to run seed 3: faultline run ${flaky} --seed 3`);
    expect(seeded.stderr.trim().split('\n')).toHaveLength(1);
    expect(selected.stderr).toContain('FAULTLINE_SEED=3 FAULTLINE_RUN=1 are ignored');
  }, 60_000);

  it('takes a text seed as simulate does: run prints a replay line that replays it, quoted when it must be', async () => {
    const run = await faultline(['run', flaky, '--seed', 'storm 7']);
    expect(run.stdout).toContain('scenario "flaky llm" · seed storm 7');
    expect(run.stdout).toContain(`replay: faultline replay ${flaky} --seed 'storm 7'`);
    const [replayed, numeric] = await Promise.all([
      faultline(['replay', flaky, '--seed', 'storm 7']),
      faultline(['run', flaky, '--seed', '8']),
    ]);
    expect(hashOf(replayed.stdout)).toBe(hashOf(run.stdout));
    expect(hashOf(numeric.stdout)).not.toBe(hashOf(run.stdout));
    const empty = await faultline(['run', flaky, '--seed', ' ']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain("option '--seed <n>' argument ' ' is invalid. Expected a seed");
  }, 60_000);

  it("run without --seed runs the scenario's seed, not the variable's", async () => {
    const [plain, seeded] = await Promise.all([
      faultline(['run', flaky]),
      faultline(['run', flaky], { env: { FAULTLINE_SEED: '3' } }),
    ]);
    expect(plain.stdout).toContain('scenario "flaky llm" · seed 7');
    expect(seeded.stdout).toContain('scenario "flaky llm" · seed 7');
    expect(hashOf(seeded.stdout)).toBe(hashOf(plain.stdout));
    expect(seeded.stderr).toMatch(NOTE);
  }, 60_000);

  it('replay <file> --seed 5 and replay <failure.json> run their seed', async () => {
    const cwd = project();
    const [plain, replayed, explored] = await Promise.all([
      faultline(['run', flaky, '--seed', '5']),
      faultline(['replay', flaky, '--seed', '5'], { env: { FAULTLINE_SEED: '3' } }),
      faultline(['explore', unlucky, '--runs', '4', '--workers', '1'], { cwd }),
    ]);
    expect(replayed.stdout).toContain('· seed 5');
    expect(hashOf(replayed.stdout)).toBe(hashOf(plain.stdout));
    expect(replayed.stderr).toMatch(NOTE);

    const seed = failingSeeds(explored.stdout)[0]!;
    expect(seed).toBeDefined();
    const failure = join(cwd, `.faultline/failures/unlucky-seed-${seed}.json`);
    // Seed 1 of unlucky passes: the variable would have replayed another run.
    const r = await faultline(['replay', failure], { cwd, env: { FAULTLINE_SEED: '1' } });
    expect(r.stdout).toContain(`· seed ${seed}`);
    expect(r.stdout).toContain('reproduced: trace hash');
    expect(r.code).toBe(1);
    // The scenario lies outside the working directory: shown absolute, as explore showed it.
    expect(r.stdout).toContain(`(${unlucky})`);
    expect(r.stdout).not.toContain('../');
  }, 60_000);

  it("a checkResilience failure replays with its own command's variables, not the shell's", async () => {
    const { writePropertyFailure } = await import('../../src/properties/failure-store.js');
    const path = writePropertyFailure(
      {
        name: 'breaker keeps its invariants',
        keys: ['config'],
        inputs: { config: { failureThreshold: 1 } },
        seed: 42,
        fastCheck: { seed: 7 },
        invariant: 'breaker',
        error: 'invariant breaker violated',
        replay: `FAULTLINE_SEED=7 sh -c 'echo "seed=$FAULTLINE_SEED run=[$FAULTLINE_RUN]"'`,
      },
      join(project(), 'graveyard'),
    );
    const r = await faultline(['replay', path], { env: { FAULTLINE_SEED: '3', FAULTLINE_RUN: '2' } });
    expect(r.stdout).toContain('seed=7 run=[]');
  });
});

describe('faultline explore under FAULTLINE_SEED', () => {
  it('runs its own seeds: the same failing seeds, each its own run, as without the variable', async () => {
    const args = ['explore', unlucky, '--runs', '8', '--workers', '1', '--continue'];
    const dirs = [project(), project(), project()];
    const [plain, seeded, selected] = await Promise.all([
      faultline(args, { cwd: dirs[0] }),
      // Seed 2 fails: every run would fail with it. FAULTLINE_RUN=3 would give the third run seed 2.
      faultline(args, { cwd: dirs[1], env: { FAULTLINE_SEED: '2' } }),
      faultline(args, { cwd: dirs[2], env: { FAULTLINE_SEED: '2', FAULTLINE_RUN: '3' } }),
    ]);
    const failing = failingSeeds(plain.stdout);
    expect(failing.length).toBeGreaterThan(1);
    expect(failing.length).toBeLessThan(8);
    for (const [r, cwd] of [
      [seeded, dirs[1]!],
      [selected, dirs[2]!],
    ] as const) {
      expect(r.stdout).toMatch(/explored 8 of 8 seeds/);
      expect(failingSeeds(r.stdout)).toEqual(failing);
      const hashes = savedHashes(cwd);
      expect(hashes).toHaveLength(failing.length);
      expect(new Set(hashes).size).toBe(failing.length); // distinct runs, not one run saved n times
      expect(hashes.sort()).toEqual(savedHashes(dirs[0]!).sort());
      expect(r.stderr.match(/faultline: note:/g)).toHaveLength(1);
      expect(r.stderr).toContain(`to run seed 2 alone: faultline replay ${unlucky} --seed 2`);
    }
  }, 60_000);

  it("prints the command's own replay command inside kernel errors, which replay to the same failure", async () => {
    const cwd = project();
    const env = { FAULTLINE_SEED: '9', FAULTLINE_RUN: '2' };
    const r = await faultline(['explore', runaway, '--runs', '3', '--workers', '1', '--continue'], {
      cwd,
      env,
    });
    expect(failingSeeds(r.stdout)).toEqual([1, 2, 3]);
    for (const seed of [1, 2, 3]) {
      expect(r.stderr).toContain(
        `✗ seed ${seed}: SimulationLimitError: simulation stopped at virtual 50s: more than 50 timer steps. Seed ${seed}; rerun: faultline replay ${runaway} --seed ${seed}\n`,
      );
    }
    const reruns = r.stderr.split('\n').filter((line) => line.includes('rerun:'));
    expect(reruns).toHaveLength(3);
    for (const line of reruns) expect(line).not.toMatch(/FAULTLINE_|vitest|tsx|main\.js/);

    const failure = join(cwd, '.faultline/failures/runaway-seed-2.json');
    expect(JSON.parse(readFileSync(failure, 'utf8')).error).toContain(
      `Seed 2; rerun: faultline replay ${runaway} --seed 2`,
    );
    const replay = await faultline(['replay', failure], { cwd, env });
    expect(replay.stdout).toContain('reproduced: the same kernel failure as recorded');

    const run = await faultline(['run', runaway, '--seed', '4', '--until', '10m'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `failure: SimulationLimitError: simulation stopped at virtual 50s: more than 50 timer steps. Seed 4; rerun: faultline replay ${runaway} --seed 4 --until 600000ms`,
    );
  }, 60_000);
});

describe('execute (in process)', () => {
  const body = async (sim: Sim) => {
    await sim.sleep(sim.random.next() * 1000);
    return sim.random.next();
  };

  it('runs the requested seed under FAULTLINE_SEED, also for a scenario from an older copy of faultline', async () => {
    const current = scenario('pinned', body);
    // What an older copy's scenario looks like to the command: branded, with `run` reading the variables.
    const older = {
      [Symbol.for('faultline.scenario')]: true,
      name: 'pinned',
      body,
      options: {},
      run: (overrides = {}) => simulate({ ...overrides, name: 'pinned' }, body),
    } as unknown as Scenario;
    expect(isScenario(older)).toBe(true);
    const expected = await current.run({ seed: 5 });
    process.env.FAULTLINE_SEED = '3';
    try {
      for (const s of [current, older]) {
        const run = await execute(s, { file: 'pinned.ts', seed: 5 });
        expect(run.seed).toBe(5);
        expect(run.result?.seed).toBe(5);
        expect(run.result?.trace.hash).toBe(expected.trace.hash);
        expect(process.env.FAULTLINE_SEED).toBe('3'); // set back after an older copy's run
      }
    } finally {
      delete process.env.FAULTLINE_SEED;
    }
  });

  it('says which variables it ignores, and how to run the seed instead', () => {
    expect(ignoredSeedEnvNote(undefined, {})).toBeUndefined();
    expect(ignoredSeedEnvNote(undefined, { FAULTLINE_SEED: ' ' })).toBeUndefined();
    expect(ignoredSeedEnvNote((s) => `use --seed ${s}`, { FAULTLINE_SEED: '42' })).toBe(
      "faultline: note: FAULTLINE_SEED=42 is ignored: the faultline command runs the seeds it names (--seed, explore's --first-seed and --runs, a failure file's seed); use --seed 42",
    );
    expect(ignoredSeedEnvNote((s) => `use --seed ${s}`, { FAULTLINE_RUN: 'x' })).toMatch(
      /^faultline: note: FAULTLINE_RUN=x is ignored: .*seed\)$/,
    );
  });
});

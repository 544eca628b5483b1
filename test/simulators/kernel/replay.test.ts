import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { simulate } from '../../../src/index.js';
import { randomScenario } from '../../fixtures/random-scenario.js';
import { childEnv } from '../../support/child-env.js';

const exec = promisify(execFile);
const shell = (command: string, env: NodeJS.ProcessEnv) => exec('sh', ['-c', command], { env });

describe('the printed replay command', () => {
  afterEach(() => {
    delete process.env.FAULTLINE_SEED;
    delete process.env.FAULTLINE_RUN;
  });

  it('FAULTLINE_SEED overrides the seed option, so the command replays whatever seed the code chose', async () => {
    const chosen = await simulate({ seed: 123 }, randomScenario);
    process.env.FAULTLINE_SEED = '123';
    const replayed = await simulate({ seed: 999 }, randomScenario);
    expect(replayed.seed).toBe(123);
    expect(replayed.trace.hash).toBe(chosen.trace.hash);
    process.env.FAULTLINE_SEED = 'a string seed';
    expect((await simulate({ seed: 5 }, () => 0)).seed).toBe('a string seed');
  });

  it("a seed given as a number's text is that number: same seed, same hash", async () => {
    const text = await simulate({ seed: '42' }, randomScenario);
    const number = await simulate({ seed: 42 }, randomScenario);
    expect(text.seed).toBe(42);
    expect(text.trace.hash).toBe(number.trace.hash);
    expect((await simulate({ seed: '042' }, () => 0)).seed).toBe('042');
    const fraction = await simulate({ seed: 0.5 }, randomScenario);
    process.env.FAULTLINE_SEED = '0.5';
    expect((await simulate({ seed: 1 }, randomScenario)).trace.hash).toBe(fraction.trace.hash);
  });

  it('replays a script run seeded from Math.random, in a child process, to the same hash', async () => {
    const script = ['--import', 'tsx', 'test/fixtures/replay-script.ts'];
    const first = JSON.parse((await exec(process.execPath, script, { env: childEnv() })).stdout);
    expect(first.rerun).toBe(`FAULTLINE_SEED=${first.seed} npx tsx test/fixtures/replay-script.ts`);
    const again = JSON.parse((await shell(first.rerun, childEnv())).stdout);
    expect(again).toEqual(first);
  }, 60_000);

  it('replays a vitest test seeded from Math.random, in a child process, to the same hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-replay-'));
    try {
      const out = (name: string) => ({ FAULTLINE_REPLAY_OUT: join(dir, name) });
      const fixture = 'test/simulators/kernel/replay-fixture.test.ts';
      await exec(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', fixture], {
        env: childEnv(out('a')),
      });
      const first = JSON.parse(readFileSync(join(dir, 'a'), 'utf8'));
      expect(first.rerun).toBe(
        `FAULTLINE_SEED=${first.seed} npx vitest run ${fixture} -t 'a run seeded from Math\\.random replays from its printed command'`,
      );
      await shell(first.rerun, childEnv(out('b')));
      const again = JSON.parse(readFileSync(join(dir, 'b'), 'utf8'));
      expect(again).toEqual(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('replays the second run of a script alone (FAULTLINE_RUN=2), in a child process', async () => {
    const script = ['--import', 'tsx', 'test/fixtures/run-selection-script.ts'];
    const first = JSON.parse((await exec(process.execPath, script, { env: childEnv() })).stdout);
    expect(first[0].rerun).toBe('FAULTLINE_SEED=5 npx tsx test/fixtures/run-selection-script.ts');
    expect(first[1].rerun).toBe(
      `FAULTLINE_SEED=${first[1].seed} FAULTLINE_RUN=2 npx tsx test/fixtures/run-selection-script.ts`,
    );
    const again = JSON.parse((await shell(first[1].rerun, childEnv())).stdout);
    expect(again).toEqual(first);
    expect(again[0].hash).toBe((await simulate({ seed: 5 }, randomScenario)).trace.hash);
  }, 60_000);

  it('replays the third run of a vitest test alone (FAULTLINE_RUN=3), runs 1 and 2 on their own seeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-replay-'));
    try {
      const out = (name: string) => ({ FAULTLINE_REPLAY_OUT: join(dir, name) });
      const fixture = 'test/simulators/kernel/run-selection-fixture.test.ts';
      await exec(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', fixture], {
        env: childEnv(out('a')),
      });
      const first = JSON.parse(readFileSync(join(dir, 'a'), 'utf8'));
      expect(first[2].rerun).toBe(
        `FAULTLINE_SEED=${first[2].seed} FAULTLINE_RUN=3 npx vitest run ${fixture} -t 'the third run of a test replays alone from its printed command'`,
      );
      await shell(first[2].rerun, childEnv(out('b')));
      const again = JSON.parse(readFileSync(join(dir, 'b'), 'utf8'));
      expect(again).toEqual(first);
      const own = [
        await simulate({ seed: 11 }, randomScenario),
        await simulate({ seed: 22 }, randomScenario),
      ];
      expect(again.slice(0, 2).map((r: { hash: string }) => r.hash)).toEqual(own.map((r) => r.trace.hash));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NonDeterminismError, simulate } from '../../../src/index.js';
import { randomScenario } from '../../fixtures/random-scenario.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../fixtures/print-hash.ts', import.meta.url));

describe('determinism', () => {
  it('gives the same value and trace hash for the same seed', async () => {
    const a = await simulate({ seed: 7 }, randomScenario);
    const b = await simulate({ seed: 7 }, randomScenario);
    expect(a.value).toEqual(b.value);
    expect(a.trace.hash).toBe(b.trace.hash);
    expect(a.trace.toJSONL()).toBe(b.trace.toJSONL());
    expect(a.trace.length).toBeGreaterThan(60);
  });

  it('diverges for different seeds on a random scenario', async () => {
    const a = await simulate({ seed: 7 }, randomScenario);
    const b = await simulate({ seed: 8 }, randomScenario);
    expect(a.trace.hash).not.toBe(b.trace.hash);
    expect(a.value).not.toEqual(b.value);
  });

  it('gives the same hash in two separate Node processes', async () => {
    const child = () => run(process.execPath, ['--import', 'tsx', script, '7'], { cwd: process.cwd() });
    const [one, two] = await Promise.all([child(), child()]);
    const local = await simulate({ seed: 7 }, randomScenario);
    const p1 = JSON.parse(one.stdout);
    const p2 = JSON.parse(two.stdout);
    expect(p1.hash).toBe(p2.hash);
    expect(p1.hash).toBe(local.trace.hash);
    expect(p1.value).toEqual(local.value);
  }, 60_000);

  it('checkDeterminism passes for a deterministic scenario', async () => {
    const result = await simulate({ seed: 3, checkDeterminism: true }, randomScenario);
    expect(result.outcome).toBe('ok');
  });

  it('checkDeterminism names the first divergent event of each run', async () => {
    let runs = 0;
    const error = await simulate({ seed: 3, checkDeterminism: true }, async (sim) => {
      runs++;
      sim.emit('same', { x: 1 });
      await sim.sleep(10);
      sim.emit('leak', { run: runs }); // state leaking between runs
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonDeterminismError);
    const e = error as NonDeterminismError;
    expect(e.index).toBe(2);
    expect(e.first).toMatchObject({ kind: 'leak', data: { run: 1 } });
    expect(e.second).toMatchObject({ kind: 'leak', data: { run: 2 } });
    expect(e.message).toContain('seed 3');
    expect(e.message).toContain('FAULTLINE_SEED=3');
  });

  it('detects real randomness escaping the simulation', async () => {
    const realRandom = (await import('../../../src/simulators/kernel/real-globals.js')).realMathRandom;
    const error = await simulate({ seed: 5, checkDeterminism: true }, async (sim) => {
      sim.emit('roll', { value: realRandom() });
    }).catch((e: unknown) => e);
    expect(NonDeterminismError.is(error)).toBe(true);
  });
});

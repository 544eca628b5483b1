import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Engine from '../../src/cli/explore.js';
import type { SeedVerdict } from '../../src/cli/explore-worker.js';

// The engine as the bin runs it (dist/: its worker threads load dist/cli/explore-worker.js).
const { explore } = (await import(join(process.cwd(), 'dist/cli/explore.js'))) as typeof Engine;
const unlucky = join(process.cwd(), 'test/cli/fixtures/unlucky.mjs');
const seeds = (n: number, from = 1) => Array.from({ length: n }, (_, k) => from + k);

describe('explore engine', () => {
  it('hands verdicts on in seed order, failures with hash and trace, passes with the seed only; same verdicts with 1 or 2 workers', async () => {
    const got: SeedVerdict[][] = [];
    for (const workers of [2, 1]) {
      const verdicts: SeedVerdict[] = [];
      const outcome = await explore({
        file: unlucky,
        seeds: seeds(60),
        workers,
        batch: workers === 2 ? 3 : undefined,
        keepGoing: true,
        onVerdict: (v) => verdicts.push(v),
      });
      expect(outcome.done).toBe(60);
      expect(verdicts.map((v) => v.seed)).toEqual(seeds(60));
      expect(outcome.failures.length).toBe(verdicts.filter((v) => v.failed).length);
      got.push(verdicts);
    }
    const [two, one] = got as [SeedVerdict[], SeedVerdict[]];
    expect(two).toEqual(one);
    const failed = one.filter((v) => v.failed);
    expect(failed.length).toBeGreaterThan(0);
    for (const v of failed) {
      expect(v.reason).toBe('Error: unlucky draw');
      expect(v.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(v.trace?.trim().split('\n').length).toBe(v.events);
    }
    for (const v of one.filter((v) => !v.failed)) expect(v).toEqual({ seed: v.seed, failed: false });
  }, 60_000);

  it('stops at the first failure: the verdicts handed on are the first seeds, in order, and include a failure', async () => {
    const verdicts: SeedVerdict[] = [];
    const outcome = await explore({
      file: unlucky,
      seeds: seeds(2000),
      workers: 2,
      onVerdict: (v) => verdicts.push(v),
    });
    expect(outcome.stopReason).toContain('first failure');
    expect(outcome.done).toBeLessThan(2000);
    expect(verdicts.map((v) => v.seed)).toEqual(seeds(outcome.done));
    expect(verdicts.some((v) => v.failed)).toBe(true);
  }, 60_000);

  it('reports start-up apart from the steady state, with the CPU of each kind of thread', async () => {
    const outcome = await explore({ file: unlucky, seeds: seeds(400), workers: 2, keepGoing: true });
    expect(outcome.done).toBe(400);
    expect(outcome.startupSeconds).toBeGreaterThan(0);
    const steady = outcome.steady!;
    expect(steady.runs).toBeGreaterThan(0);
    expect(steady.runs).toBeLessThanOrEqual(400);
    expect(outcome.steadyRunsPerSecond).toBe(steady.runsPerSecond);
    expect(steady.workers.length).toBe(2);
    for (const w of steady.workers) {
      expect(w.startupMs).toBeGreaterThan(0);
      expect(w.busyShare).toBeGreaterThan(0);
      expect(w.busyShare).toBeLessThanOrEqual(1.01);
      expect(w.elu).toBeGreaterThan(0);
    }
    expect(steady.cpuMsPerRun.total).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      expect(steady.cpuMsPerRun.workers).toBeGreaterThan(0);
      expect(steady.cpuMsPerRun.main).toBeGreaterThanOrEqual(0);
      expect(steady.cpuMsPerRun.background).toBeGreaterThanOrEqual(0);
      for (const w of steady.workers) expect(w.startupCpuMs).toBeGreaterThan(0);
    }
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { SimulationError, simulate } from '../../../src/index.js';

describe('a refused concurrent simulate', () => {
  it('points at test.concurrent / describe.concurrent, the usual cause under vitest', async () => {
    const first = simulate({ seed: 1 }, (sim) => sim.sleep(10));
    const refused = await simulate({ seed: 2 }, () => 0).catch((e: unknown) => e);
    await first;
    expect(SimulationError.is(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/already running \(seed 1\)/);
    expect((refused as Error).message).toMatch(/test\.concurrent or describe\.concurrent/);
    expect((refused as Error).message).toContain('Seed 2; rerun: FAULTLINE_SEED=2 ');
  });
});

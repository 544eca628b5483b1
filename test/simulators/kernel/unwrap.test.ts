import { describe, expect, it } from 'vitest';
import { RunFailedError, SimulationError, simulate } from '../../../src/index.js';

describe('result.unwrap()', () => {
  it("is the body's value when the run succeeded", async () => {
    const result = await simulate({ seed: 3 }, async (sim) => {
      await sim.sleep('2s');
      return { at: sim.now() };
    });
    expect(result.unwrap()).toEqual({ at: 2000 });
    expect(Object.keys(result)).not.toContain('unwrap');
  });

  it("throws the body's error with the seed and the rerun command, the error as cause", async () => {
    const boom = new RangeError('breaker never closed');
    const result = await simulate({ seed: 8 }, async (sim) => {
      await sim.sleep('1s');
      throw boom;
    });
    expect(result.outcome).toBe('failed');
    const thrown = (() => {
      try {
        result.unwrap();
      } catch (e) {
        return e;
      }
    })() as RunFailedError;
    expect(RunFailedError.is(thrown)).toBe(true);
    expect(thrown).toBeInstanceOf(SimulationError);
    expect(thrown.cause).toBe(boom);
    expect(thrown.outcome).toBe('failed');
    expect(thrown.seed).toBe(8);
    expect(thrown.rerun).toBe(result.rerun);
    expect(thrown.message).toBe(
      `the simulated run failed: RangeError: breaker never closed\nSeed 8; rerun: ${result.rerun}`,
    );
  });

  it('names a thrown non-Error value', async () => {
    const result = await simulate({ seed: 1 }, () => Promise.reject('nope'));
    expect(() => result.unwrap()).toThrow('a non-Error value was thrown: "nope"');
  });

  it('throws when until stopped the run before the body returned', async () => {
    const result = await simulate({ seed: 1, until: '1s' }, (sim) => sim.sleep('1h'));
    expect(result.outcome).toBe('stopped');
    expect(() => result.unwrap()).toThrow(/reached `until` before its body returned.*Seed 1; rerun: /s);
  });
});

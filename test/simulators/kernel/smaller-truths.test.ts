import { describe, expect, it } from 'vitest';
import { NonDeterminismError, type Sim, simulate } from '../../../src/index.js';

describe('Date.now and performance.now inside a run', () => {
  it('Date.now() is whole while performance.now() keeps the fraction', async () => {
    const result = await simulate({ seed: 51 }, async (sim) => {
      await sim.sleep(30.887);
      return { date: Date.now(), perf: performance.now(), iso: new Date().toISOString() };
    });
    expect(result.value).toMatchObject({ date: 1_735_689_600_030, iso: '2025-01-01T00:00:00.030Z' });
    expect(result.value!.perf).toBeCloseTo(30.887, 3);
  });

  it('is deterministic: same seed, same hash', async () => {
    const scenario = async (sim: Sim) => {
      await sim.sleep(12.5);
      sim.emit('now', { date: Date.now(), perf: performance.now() });
    };
    const a = await simulate({ seed: 52 }, scenario);
    const b = await simulate({ seed: 52 }, scenario);
    expect(a.trace.hash).toBe(b.trace.hash);
  });
});

describe('checkDeterminism compares the body’s return value', () => {
  it('throws NonDeterminismError when the traces match but the values differ', async () => {
    let run = 0;
    const error = await simulate({ seed: 53, checkDeterminism: true }, async (sim) => {
      await sim.sleep(10);
      return { run: ++run };
    }).then(
      () => undefined as never,
      (e: unknown) => e as NonDeterminismError,
    );
    expect(NonDeterminismError.is(error)).toBe(true);
    expect(error.message).toContain('ended differently');
    expect(error.message).toContain('"value":{"run":1}');
    expect(error.message).toContain('"value":{"run":2}');
  });

  it('passes when value and trace are the same', async () => {
    const result = await simulate({ seed: 54, checkDeterminism: true }, async (sim) => {
      await sim.sleep(sim.random.next() * 100);
      return { at: sim.now(), pick: Math.random() };
    });
    expect(result.outcome).toBe('ok');
  });
});

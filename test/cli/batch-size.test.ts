import { describe, expect, it } from 'vitest';
import { batchSize, MAX_BATCH } from '../../src/cli/batch-size.js';

describe('batchSize (seeds per explore task)', () => {
  it('sends one seed per task until a task has said how long a seed takes', () => {
    expect(batchSize({ perRunMs: undefined, remaining: 10_000, workers: 2 })).toBe(1);
  });

  it('sizes a task to about 75 ms of running', () => {
    expect(batchSize({ perRunMs: 5, remaining: 10_000, workers: 2 })).toBe(15);
    expect(batchSize({ perRunMs: 0.5, remaining: 10_000, workers: 2 })).toBe(150);
    expect(batchSize({ perRunMs: 5, remaining: 10_000, workers: 2, targetMs: 100 })).toBe(20);
  });

  it('sends one seed per task when a seed takes longer than the target', () => {
    expect(batchSize({ perRunMs: 2000, remaining: 10_000, workers: 2 })).toBe(1);
  });

  it('splits the tail evenly over the tasks in flight (two per worker)', () => {
    expect(batchSize({ perRunMs: 1, remaining: 40, workers: 2 })).toBe(10);
    expect(batchSize({ perRunMs: 1, remaining: 3, workers: 2 })).toBe(1);
  });

  it('does not plan past the time budget', () => {
    expect(batchSize({ perRunMs: 5, remaining: 10_000, workers: 2, budgetLeftMs: 20 })).toBe(4);
    expect(batchSize({ perRunMs: 5, remaining: 10_000, workers: 2, budgetLeftMs: 1 })).toBe(1);
  });

  it('stays within 1 … min(remaining, MAX_BATCH), and 0 when nothing is left', () => {
    expect(batchSize({ perRunMs: 1e-9, remaining: 1e9, workers: 1 })).toBe(MAX_BATCH);
    expect(batchSize({ perRunMs: 0, remaining: 1e9, workers: 1 })).toBe(MAX_BATCH);
    expect(batchSize({ perRunMs: 1, remaining: 0, workers: 2 })).toBe(0);
  });
});

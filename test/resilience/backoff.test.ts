import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/random/random.js';
import {
  type BackoffPolicy,
  exponentialDelay,
  JITTER_MODES,
  type JitterMode,
  jitteredDelay,
} from '../../src/resilience/backoff.js';

const seed: BackoffPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  backoffFactor: 2,
  jitter: 'none',
  jitterRatio: 0.1,
};

describe('exponentialDelay', () => {
  it('is min(maxDelay, base × factor^(n−1)) for the seed config', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => exponentialDelay(n, seed));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('reaches the cap exactly at the boundary', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 800, backoffFactor: 2 };
    expect(exponentialDelay(3, policy)).toBe(400);
    expect(exponentialDelay(4, policy)).toBe(800);
    expect(exponentialDelay(5, policy)).toBe(800);
  });

  it('handles factor 1, base 0 and base = max', () => {
    expect(exponentialDelay(50, { baseDelayMs: 250, maxDelayMs: 1000, backoffFactor: 1 })).toBe(250);
    expect(exponentialDelay(5000, { baseDelayMs: 0, maxDelayMs: 1000, backoffFactor: 3 })).toBe(0);
    expect(exponentialDelay(1, { baseDelayMs: 1000, maxDelayMs: 1000, backoffFactor: 2 })).toBe(1000);
    expect(exponentialDelay(2, { baseDelayMs: 1000, maxDelayMs: 1000, backoffFactor: 2 })).toBe(1000);
  });

  it('is finite and capped for attempt numbers in the thousands (no overflow, no NaN)', () => {
    for (const n of [1024, 1025, 5000, 100_000, Number.MAX_SAFE_INTEGER]) {
      const d = exponentialDelay(n, { baseDelayMs: 1, maxDelayMs: 60_000, backoffFactor: 10 });
      expect(d).toBe(60_000);
    }
  });

  it('property: 0 <= d <= maxDelay, non-decreasing in n, never NaN', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.integer({ min: 1, max: 20_000 }),
        (base, extra, factor, n) => {
          const policy = { baseDelayMs: base, maxDelayMs: base + extra, backoffFactor: factor };
          const d = exponentialDelay(n, policy);
          const next = exponentialDelay(n + 1, policy);
          expect(Number.isFinite(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(policy.maxDelayMs);
          expect(next).toBeGreaterThanOrEqual(d);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('jitteredDelay', () => {
  const bounds: Record<JitterMode, (d: number, p: BackoffPolicy) => [number, number]> = {
    none: (d) => [d, d],
    full: (d) => [0, d],
    equal: (d) => [d / 2, d],
    decorrelated: (_d, p) => [p.baseDelayMs, p.maxDelayMs],
    proportional: (d, p) => [d * (1 - p.jitterRatio), Math.min(p.maxDelayMs, d * (1 + p.jitterRatio))],
  };

  for (const jitter of JITTER_MODES) {
    it(`${jitter}: every delay over attempts 1..5000 is finite, within its bounds and <= maxDelay`, () => {
      const policy = { ...seed, jitter };
      const random = seededRandom(`backoff-${jitter}`);
      let previous: number | undefined;
      for (let n = 1; n <= 5000; n++) {
        const d = exponentialDelay(n, policy);
        const delay = jitteredDelay(n, policy, random, previous);
        const [lo, hi] = bounds[jitter](d, policy);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(lo);
        expect(delay).toBeLessThanOrEqual(Math.min(hi, policy.maxDelayMs));
        if (jitter === 'decorrelated') {
          expect(delay).toBeLessThanOrEqual(
            Math.max(policy.baseDelayMs, 3 * (previous ?? policy.baseDelayMs)),
          );
        }
        previous = delay;
      }
    });
  }

  it('property: any policy, any attempt, any mode gives a finite delay in [0, maxDelay]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.constantFrom(...JITTER_MODES),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer(),
        (base, extra, factor, jitter, jitterRatio, n, s) => {
          const policy = {
            baseDelayMs: base,
            maxDelayMs: base + extra,
            backoffFactor: factor,
            jitter,
            jitterRatio,
          };
          const random = seededRandom(s);
          const prev = jitteredDelay(Math.max(1, n - 1), policy, random);
          const d = jitteredDelay(n, policy, random, prev);
          expect(Number.isFinite(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(policy.maxDelayMs);
        },
      ),
      { seed: 7, numRuns: 1000 },
    );
  });

  it('the cap applies after jitter (proportional at the cap never exceeds maxDelay)', () => {
    const policy = { ...seed, jitter: 'proportional' as const, jitterRatio: 0.5 };
    const random = seededRandom(1);
    const delays = Array.from({ length: 200 }, () => jitteredDelay(40, policy, random));
    expect(Math.max(...delays)).toBe(30_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(15_000);
  });

  it('is deterministic for a seeded stream', () => {
    const policy = { ...seed, jitter: 'full' as const };
    const a = seededRandom(9);
    const b = seededRandom(9);
    const xs = [1, 2, 3].map((n) => jitteredDelay(n, policy, a));
    const ys = [1, 2, 3].map((n) => jitteredDelay(n, policy, b));
    expect(xs).toEqual(ys);
  });
});

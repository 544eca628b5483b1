import { describe, expect, it } from 'vitest';
import { ConfigError, dist, seededRandom } from '../../src/index.js';

const draw = (d: { sample(r: ReturnType<typeof seededRandom>): number }, n = 20_000, seed = 5) => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => r.sample(d)).sort((a, b) => a - b);
};
const quantile = (xs: number[], q: number) => xs[Math.floor(q * (xs.length - 1))]!;

describe('distributions', () => {
  it('constant accepts durations', () => {
    expect(draw(dist.constant('250ms'), 3)).toEqual([250, 250, 250]);
  });

  it('uniform stays in [min, max)', () => {
    const xs = draw(dist.uniform('1s', '2s'));
    expect(xs[0]!).toBeGreaterThanOrEqual(1000);
    expect(xs[xs.length - 1]!).toBeLessThan(2000);
    expect(quantile(xs, 0.5)).toBeCloseTo(1500, -2);
  });

  it('exponential has the given mean', () => {
    const xs = draw(dist.exponential('200ms'));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(210);
    expect(xs[0]!).toBeGreaterThanOrEqual(0);
  });

  it('lognormal matches its median and p99', () => {
    const xs = draw(dist.lognormal({ median: '800ms', p99: '6s' }), 50_000);
    expect(quantile(xs, 0.5)).toBeGreaterThan(760);
    expect(quantile(xs, 0.5)).toBeLessThan(840);
    expect(quantile(xs, 0.99)).toBeGreaterThan(5300);
    expect(quantile(xs, 0.99)).toBeLessThan(6800);
  });

  it('normal is clamped at zero', () => {
    const xs = draw(dist.normal({ mean: 10, stddev: 50 }));
    expect(xs[0]!).toBe(0);
  });

  it('pareto never goes below its minimum', () => {
    const xs = draw(dist.pareto({ min: '100ms', alpha: 1.5 }));
    expect(xs[0]!).toBeGreaterThanOrEqual(100);
    expect(quantile(xs, 0.5)).toBeCloseTo(100 * 2 ** (1 / 1.5), -1);
  });

  it('empirical draws only observed samples', () => {
    const xs = new Set(draw(dist.empirical(['10ms', 20, '1s']), 500));
    expect([...xs].sort((a, b) => a - b)).toEqual([10, 20, 1000]);
  });

  it('rejects bad parameters naming them', () => {
    expect(() => dist.lognormal({ median: '1s', p99: '500ms' })).toThrow(/p99.*"500ms".*> median/);
    expect(() => dist.exponential(0)).toThrow(ConfigError);
    expect(() => dist.uniform(10, 5)).toThrow(/max/);
    expect(() => dist.empirical([])).toThrow(/non-empty/);
    expect(() => dist.pareto({ min: 1, alpha: -1 })).toThrow(/alpha/);
    expect(() => dist.constant('fast')).toThrow(/"fast"/);
  });
});

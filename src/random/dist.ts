import { ConfigError } from '../errors/config-error.js';
import { checkOptions } from '../options/validate.js';
import { type Duration, duration } from '../time/duration.js';
import type { Distribution } from './distribution.js';
import type { Random } from './random.js';

/*
 * The distribution catalogue. Parameters that are times accept durations
 * ('800ms', '2s'); samples of time distributions are milliseconds, clamped at 0.
 */

const Z99 = 2.3263478740408408; // standard normal quantile at 0.99

function positive(option: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ConfigError(option, value, 'a finite number > 0');
  return value;
}

function standardNormal(random: Random): number {
  // Box–Muller; 1 - next() keeps log away from 0.
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function make(description: string, sample: (random: Random) => number): Distribution {
  return { description, sample };
}

/** Always `value` (a duration or a number). */
export function constant(value: Duration): Distribution {
  const v = duration(value, 'dist.constant(value)');
  return make(`constant(${v})`, () => v);
}

/** Uniform in [min, max). */
export function uniform(min: Duration, max: Duration): Distribution {
  const a = duration(min, 'dist.uniform(min)');
  const b = duration(max, 'dist.uniform(max)');
  if (b < a) throw new ConfigError('dist.uniform(max)', max, `a value >= min (${a})`);
  return make(`uniform(${a}, ${b})`, (r) => a + r.next() * (b - a));
}

/** Exponential with the given mean. */
export function exponential(mean: Duration): Distribution {
  const m = positive('dist.exponential(mean)', duration(mean, 'dist.exponential(mean)'));
  return make(`exponential(mean=${m})`, (r) => -m * Math.log(1 - r.next()));
}

/** Normal with mean and standard deviation, clamped at 0 (it models times). */
export function normal(options: { mean: Duration; stddev: Duration }): Distribution {
  checkOptions('dist.normal', options, ['mean', 'stddev'], true);
  const mean = duration(options?.mean, 'dist.normal({ mean })');
  const sd = duration(options?.stddev, 'dist.normal({ stddev })');
  return make(`normal(mean=${mean}, stddev=${sd})`, (r) => Math.max(0, mean + sd * standardNormal(r)));
}

/**
 * Lognormal given its median and 99th percentile, the way latency is usually
 * described: `dist.lognormal({ median: '800ms', p99: '6s' })`.
 */
export function lognormal(options: { median: Duration; p99: Duration }): Distribution {
  checkOptions('dist.lognormal', options, ['median', 'p99'], true);
  const median = positive(
    'dist.lognormal({ median })',
    duration(options?.median, 'dist.lognormal({ median })'),
  );
  const p99 = duration(options?.p99, 'dist.lognormal({ p99 })');
  if (!(p99 > median))
    throw new ConfigError('dist.lognormal({ p99 })', options.p99, `a duration > median (${median}ms)`);
  const mu = Math.log(median);
  const sigma = (Math.log(p99) - mu) / Z99;
  return make(`lognormal(median=${median}, p99=${p99})`, (r) => Math.exp(mu + sigma * standardNormal(r)));
}

/** Pareto (heavy tail) with scale `min` (the smallest value) and shape `alpha`. */
export function pareto(options: { min: Duration; alpha: number }): Distribution {
  checkOptions('dist.pareto', options, ['min', 'alpha'], true);
  const min = positive('dist.pareto({ min })', duration(options?.min, 'dist.pareto({ min })'));
  const alpha = positive('dist.pareto({ alpha })', options?.alpha);
  return make(`pareto(min=${min}, alpha=${alpha})`, (r) => min / (1 - r.next()) ** (1 / alpha));
}

/** Picks uniformly from observed samples (durations or numbers). */
export function empirical(samples: readonly Duration[]): Distribution {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new ConfigError('dist.empirical(samples)', samples, 'a non-empty array of durations');
  }
  const values = samples.map((s, i) => duration(s, `dist.empirical(samples[${i}])`));
  return make(`empirical(n=${values.length})`, (r) => values[Math.floor(r.next() * values.length)]!);
}

/**
 * Distributions as values.
 *
 * @example
 * ```ts
 * sim.random.sample(dist.lognormal({ median: '800ms', p99: '6s' }))
 * ```
 */
export const dist = { constant, uniform, exponential, normal, lognormal, pareto, empirical };

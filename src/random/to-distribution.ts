import { ConfigError } from '../errors/config-error.js';
import { type Duration, duration } from '../time/duration.js';
import { constant } from './dist.js';
import type { Distribution } from './distribution.js';
import type { Random } from './random.js';

/**
 * The one duration → distribution coercion: a `Distribution` as is, a fixed
 * `Duration` (`250`, `'200ms'`) as a constant one; anything else is a
 * `ConfigError` naming `path`.
 */
export function toDistribution(path: string, value: unknown): Distribution {
  if (typeof value === 'object' && value !== null && typeof (value as Distribution).sample === 'function') {
    return value as Distribution;
  }
  if (typeof value === 'number' || typeof value === 'string')
    return constant(duration(value as Duration, path));
  throw new ConfigError(path, value, 'a distribution (see dist) or a duration such as "200ms"');
}

/** Samples a time distribution in ms, turning a negative or non-finite sample into 0. */
export function sampleMs(dist: Distribution, random: Random): number {
  const ms = dist.sample(random);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

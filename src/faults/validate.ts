/*
 * Option validation for the fault catalog: every bad parameter becomes a
 * `ConfigError` naming the option (`faults.errors({ rate })`), the value and
 * what is allowed. Unknown option keys are rejected: a typo must not silently
 * turn a fault off.
 */
import { ConfigError } from '../errors/config-error.js';
import type { Distribution } from '../random/distribution.js';
import { type Duration, duration } from '../time/duration.js';

/** `faults.errors({ rate })` style option path. */
export function optionPath(fault: string, key: string): string {
  return `faults.${fault}({ ${key} })`;
}

/** Checks that `options` is an object with only `allowed` keys; returns it. */
export function checkOptions<T extends object>(
  fault: string,
  options: T | undefined,
  allowed: readonly string[],
  required = false,
): Partial<T> {
  if (options === undefined && !required) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `faults.${fault}(options)`,
      options,
      `an options object with ${allowed.join(', ')}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        optionPath(fault, key),
        (options as Record<string, unknown>)[key],
        `one of the options ${allowed.join(', ')}`,
      );
    }
  }
  return options;
}

/** A probability in [0, 1]. */
export function probability(fault: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigError(optionPath(fault, key), value, 'a probability in [0, 1]');
  }
  return value;
}

/** A duration in ms (>= 0, or > 0 when `positive`). */
export function durationMs(fault: string, key: string, value: unknown, positive = false): number {
  const path = optionPath(fault, key);
  if (value === undefined) throw new ConfigError(path, value, 'a duration such as 250, "30s" or "2m"');
  const ms = duration(value as Duration, path);
  if (positive && !(ms > 0)) throw new ConfigError(path, value, 'a duration > 0');
  return ms;
}

/** An integer >= `min`. */
export function integer(fault: string, key: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(optionPath(fault, key), value, `an integer >= ${min}`);
  }
  return value;
}

/** One of `allowed`. */
export function oneOf<T extends string>(
  fault: string,
  key: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ConfigError(optionPath(fault, key), value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/** A `Distribution`, or a fixed `Duration` turned into a constant one. */
export function distribution(path: string, value: unknown): Distribution {
  if (typeof value === 'object' && value !== null && typeof (value as Distribution).sample === 'function') {
    return value as Distribution;
  }
  if (typeof value === 'number' || typeof value === 'string') {
    const ms = duration(value, path);
    return { description: `constant(${ms})`, sample: () => ms };
  }
  throw new ConfigError(path, value, 'a distribution (see dist) or a duration such as "200ms"');
}

/** Samples a time distribution, guarding against negative or non-finite samples. */
export function sampleMs(dist: Distribution, random: Parameters<Distribution['sample']>[0]): number {
  const ms = dist.sample(random);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

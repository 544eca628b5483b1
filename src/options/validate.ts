/*
 * The one option-validator module. Every public factory (simulate, faults.*,
 * resilience policies, sim.* methods, property helpers, the CLI) checks its
 * options here, so that a bad value or a misspelt key fails at once with a
 * `ConfigError` that names the option, the value and what is allowed. A typo
 * must never silently turn a feature off.
 *
 * Option paths read like the call that was made: `circuitBreaker({ failureThreshold })`,
 * `faults.errors({ rate })`, `sim.service('db', { faults })`.
 */
import { ConfigError } from '../errors/config-error.js';
import { type Duration, duration } from '../time/duration.js';

/** `owner({ key })`: the path of one option in error messages. */
export function optionPath(owner: string, key: string): string {
  return `${owner}({ ${key} })`;
}

/**
 * Checks that `options` is a plain object whose keys are all in `allowed`, and
 * returns it. `undefined` is accepted as `{}` unless `required`.
 *
 * @example
 * ```ts
 * const o = checkOptions('bulkhead', options, ['name', 'clock', 'trace', 'maxConcurrent', 'maxQueue'], true);
 * ```
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | undefined | null,
  allowed: readonly string[],
  required = false,
): Partial<T> {
  if (options === undefined && !required) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`${owner}(options)`, options, `an options object with keys ${allowed.join(', ')}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        optionPath(owner, key),
        (options as Record<string, unknown>)[key],
        `one of the known options: ${allowed.join(', ')}`,
      );
    }
  }
  return options;
}

/** An integer >= `min`. */
export function integerAtLeast(path: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(path, value, `an integer >= ${min}`);
  }
  return value;
}

/** A number in [min, max]. */
export function numberInRange(path: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ConfigError(path, value, `a number in [${min}, ${max}]`);
  }
  return value;
}

/** A probability in [0, 1]. */
export function probability(path: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigError(path, value, 'a probability in [0, 1]');
  }
  return value;
}

/** A duration in ms (see `duration`); `undefined` gives `fallback`, or is an error without one. */
export function durationMs(path: string, value: unknown, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(path, value, 'a duration such as 250, "30s" or "2m"');
  }
  return duration(value as Duration, path);
}

/** A duration in ms > 0 (required). */
export function positiveDurationMs(path: string, value: unknown): number {
  const ms = durationMs(path, value);
  if (!(ms > 0)) throw new ConfigError(path, value, 'a duration > 0');
  return ms;
}

/** A finite number >= `min`. */
export function finiteAtLeast(path: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(path, value, `a finite number >= ${min}`);
  }
  return value;
}

/** One of the `allowed` strings. */
export function oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(path, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** A boolean (`undefined` gives `fallback`). */
export function booleanOption(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(path, value, 'true or false');
  return value;
}

/** A function, or undefined. */
export function functionOption<F extends Function>(path: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new ConfigError(path, value, 'a function');
  return value as F;
}

/** A non-empty string (`undefined` gives `fallback`). */
export function nameOption(path: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw new ConfigError(path, value, 'a non-empty string');
  return value;
}

/**
 * The option keys of `T`, listed once for `checkOptions`; the compiler checks that
 * the list names every key of `T` and nothing else, so a new option cannot be
 * forgotten here.
 *
 * @example
 * ```ts
 * const KEYS = optionKeys<BulkheadOptions>()(['name', 'clock', 'trace', 'maxConcurrent', 'maxQueue']);
 * ```
 */
export function optionKeys<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K &
      ([Exclude<keyof T & string, K[number]>] extends [never]
        ? unknown
        : { readonly missingKeys: Exclude<keyof T & string, K[number]> }),
  ): readonly (keyof T & string)[] => keys;
}

/** `keys` without `except` (for a `sim.*` method that fills some options itself). */
export function keysExcept<K extends string, E extends K>(
  keys: readonly K[],
  except: readonly E[],
): Exclude<K, E>[] {
  return keys.filter((k): k is Exclude<K, E> => !(except as readonly string[]).includes(k));
}

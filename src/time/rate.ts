import { ConfigError } from '../errors/config-error.js';

/** A rate: events per second as a number, or a string such as `'2/s'`, `'120/m'`, `'5000/h'`. */
export type Rate = number | string;

const PER_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a rate into events per millisecond.
 *
 * @example
 * ```ts
 * ratePerMs('2/s') // 0.002
 * ```
 */
export function ratePerMs(value: Rate, option = 'rate'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value / 1000;
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h)\s*$/.exec(value);
    if (m && Number(m[1]) > 0) return Number(m[1]) / PER_MS[m[2]!]!;
  }
  throw new ConfigError(
    option,
    value,
    'a rate > 0: events per second as a number, or a string like "2/s", "120/m", "5000/h"',
  );
}

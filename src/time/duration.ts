import { ConfigError } from '../errors/config-error.js';

/** A duration: milliseconds as a number, or a string such as `'250ms'`, `'30s'`, `'2m'`, `'1h30m'`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Parses a duration into milliseconds. Numbers are milliseconds; strings are
 * one or more `<number><unit>` parts with units `ms`, `s`, `m`, `h`, `d`.
 * Anything else (negative, NaN, infinite, unknown unit) throws `ConfigError`.
 *
 * @example
 * ```ts
 * duration('1h30m') // 5_400_000
 * duration(250)     // 250
 * ```
 */
export function duration(value: Duration, option = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigError(
        option,
        value,
        'a finite number of milliseconds >= 0 or a string like "250ms", "30s", "2m", "1h30m"',
      );
    }
    return value;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    let total = 0;
    let index = 0;
    PART.lastIndex = 0;
    while (index < text.length) {
      PART.lastIndex = index;
      const match = PART.exec(text);
      if (!match) break;
      total += Number(match[1]) * UNIT_MS[match[2]!]!;
      index = PART.lastIndex;
    }
    // A long enough number of digits overflows to Infinity: not a duration.
    if (text.length > 0 && index === text.length && Number.isFinite(total)) return total;
  }
  throw new ConfigError(
    option,
    value,
    'a finite number of milliseconds >= 0 or a string like "250ms", "30s", "2m", "1h30m" (units ms, s, m, h, d)',
  );
}

/** Formats milliseconds compactly for timelines and messages: `1h02m03.004s` style. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${round(ms)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sText = `${round(s)}s`;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${sText}`;
  if (m > 0) return `${m}m${sText}`;
  return sText;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/*
 * Retry delays as pure functions: the exponential curve, the five jitter modes
 * and the cap. No clock and no state beyond the previous delay (decorrelated
 * jitter) which the caller passes in.
 */
import type { Random } from '../random/random.js';

/** How a delay is randomized. See `jitteredDelay`. */
export type JitterMode = 'none' | 'full' | 'equal' | 'decorrelated' | 'proportional';

export const JITTER_MODES: readonly JitterMode[] = ['none', 'full', 'equal', 'decorrelated', 'proportional'];

/** Delay parameters in milliseconds (already validated). */
export interface BackoffPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly backoffFactor: number;
  readonly jitter: JitterMode;
  /** Half-width `p` of `proportional` jitter: the delay is `d·U[1−p, 1+p]`. */
  readonly jitterRatio: number;
}

/**
 * The un-jittered delay before retry `n` (n ≥ 1):
 * `min(maxDelay, baseDelay × backoffFactor^(n−1))`. Overflow-safe: any `n`
 * (thousands included) gives a finite number in [0, maxDelay], never NaN.
 *
 * @example
 * ```ts
 * exponentialDelay(3, { baseDelayMs: 1000, maxDelayMs: 30_000, backoffFactor: 2 }) // 4000
 * ```
 */
export function exponentialDelay(
  n: number,
  policy: Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs' | 'backoffFactor'>,
): number {
  const { baseDelayMs: base, maxDelayMs: max, backoffFactor: factor } = policy;
  if (!(base > 0)) return 0;
  const exponent = n > 1 ? n - 1 : 0;
  // Compare in log space first so that huge exponents never build Infinity·0 or Infinity/Infinity.
  if (factor > 1 && exponent * Math.log(factor) >= Math.log(max / base)) return max;
  const raw = base * factor ** exponent;
  return Math.min(raw, max);
}

/**
 * The delay before retry `n` (n ≥ 1) after jitter, capped again at `maxDelay`:
 * - `none`: `d`
 * - `full`: U[0, d]
 * - `equal`: U[d/2, d]
 * - `decorrelated`: `min(maxDelay, U(base, 3·previous))`, `previous` = the last delay (base for the first)
 * - `proportional`: `d·U[1−p, 1+p]`
 *
 * where `d = exponentialDelay(n)`. The result is always finite and in [0, maxDelay].
 *
 * @example
 * ```ts
 * jitteredDelay(2, policy, seededRandom(1)) // somewhere in [0, 2000] for full jitter, base 1000, factor 2
 * ```
 */
export function jitteredDelay(n: number, policy: BackoffPolicy, random: Random, previousMs?: number): number {
  const max = policy.maxDelayMs;
  let delay: number;
  switch (policy.jitter) {
    case 'none':
      return exponentialDelay(n, policy);
    case 'full':
      delay = exponentialDelay(n, policy) * random.next();
      break;
    case 'equal': {
      const d = exponentialDelay(n, policy);
      delay = d / 2 + (d / 2) * random.next();
      break;
    }
    case 'decorrelated': {
      const base = policy.baseDelayMs;
      const previous = previousMs !== undefined && previousMs > base ? previousMs : base;
      delay = base + (previous * 3 - base) * random.next();
      break;
    }
    case 'proportional': {
      const p = policy.jitterRatio;
      delay = exponentialDelay(n, policy) * (1 - p + 2 * p * random.next());
      break;
    }
  }
  if (!(delay > 0)) return 0;
  return Math.min(delay, max);
}

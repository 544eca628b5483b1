/*
 * `invariants.noRetryStorm({ maxAmplification })`: retries must not multiply
 * the load. Amplification = attempts ÷ requests (first attempts), over the whole
 * run or per `window` of virtual time, across every retry policy in the trace.
 */
import { ConfigError } from '../../errors/config-error.js';
import { checkOptions, finiteAtLeast } from '../../options/validate.js';
import { type Duration, duration } from '../../time/duration.js';
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant } from '../invariant.js';
import { violation } from '../invariant.js';

export interface NoRetryStormOptions {
  /** Largest allowed attempts ÷ requests, ≥ 1. */
  maxAmplification: number;
  /** Judge each window of this length separately. Default: the whole run. */
  window?: Duration;
}

const NAME = 'noRetryStorm';

/**
 * Attempts ÷ requests ≤ `maxAmplification` (per `window` when given).
 *
 * @example
 * ```ts
 * invariants.noRetryStorm({ maxAmplification: 1.5, window: '1m' })
 * ```
 */
export function noRetryStorm(options: NoRetryStormOptions): Invariant {
  const o = checkOptions('invariants.noRetryStorm', options, ['maxAmplification', 'window'], true);
  if (o.maxAmplification === undefined) {
    throw new ConfigError('invariants.noRetryStorm({ maxAmplification })', undefined, 'a number >= 1');
  }
  const max = finiteAtLeast('invariants.noRetryStorm({ maxAmplification })', o.maxAmplification, 1);
  const window =
    o.window === undefined ? undefined : duration(o.window, 'invariants.noRetryStorm({ window })');
  if (window !== undefined && !(window > 0)) {
    throw new ConfigError('invariants.noRetryStorm({ window })', o.window, 'a duration > 0');
  }
  return {
    name: NAME,
    check(trace) {
      const buckets = new Map<number, { requests: number; attempts: number; last: TraceEvent }>();
      for (const e of trace.ofKind('retry.attempt')) {
        const key = window === undefined ? 0 : Math.floor(e.t / window);
        let b = buckets.get(key);
        if (b === undefined) buckets.set(key, (b = { requests: 0, attempts: 0, last: e }));
        b.attempts++;
        b.last = e;
        if (e.data?.attempt === 1) b.requests++;
      }
      for (const [key, b] of [...buckets].sort((x, y) => x[0] - y[0])) {
        const ratio = b.attempts / Math.max(b.requests, 1);
        if (ratio > max) {
          const where =
            window === undefined ? 'over the run' : `in [${key * window}, ${(key + 1) * window}) ms`;
          return [
            violation(
              NAME,
              `${b.attempts} attempts for ${b.requests} request(s) ${where}: amplification ${ratio.toFixed(2)} > maxAmplification ${max}`,
              b.last,
              `<= ${max}`,
              Number(ratio.toFixed(4)),
            ),
          ];
        }
      }
      return [];
    },
  };
}

/*
 * `faults.flapping`: the service goes down and up on a fixed period.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, durationMs, optionPath, positiveDurationMs } from '../options/validate.js';
import type { Duration } from '../time/duration.js';
import { describeSpec, failureEffect, failureSpec, type NamedError } from './error-catalog.js';
import { defineFault, type Fault } from './fault.js';

export interface FlappingOptions {
  /** Length of one down-then-up cycle. */
  period: Duration;
  /** How long the service is down at the start of each cycle (< period). */
  downFor: Duration;
  /** When the first cycle starts (schedule time). Default 0. */
  at?: Duration;
  /** HTTP status while down (default 503), or a list to pick from. */
  status?: number | readonly number[];
  /** A named failure instead, e.g. `'connection_reset'`. */
  error?: NamedError;
}

/**
 * From `at` on, the service is down for `downFor` at the start of every
 * `period`: calls arriving in `[at + k·period, at + k·period + downFor)` fail,
 * the rest of each cycle succeeds. Before `at` it is up.
 *
 * @example
 * ```ts
 * faults.flapping({ period: '1m', downFor: '10s' }) // down 0–10 s, 60–70 s, 120–130 s, ...
 * ```
 */
export function flapping(options: FlappingOptions): Fault {
  const o = checkOptions('faults.flapping', options, ['period', 'downFor', 'at', 'status', 'error'], true);
  const period = positiveDurationMs(optionPath('faults.flapping', 'period'), o.period);
  const downFor = positiveDurationMs(optionPath('faults.flapping', 'downFor'), o.downFor);
  if (!(downFor < period)) {
    throw new ConfigError(
      optionPath('faults.flapping', 'downFor'),
      o.downFor,
      `a duration < period (${period} ms)`,
    );
  }
  const at = o.at === undefined ? 0 : durationMs(optionPath('faults.flapping', 'at'), o.at);
  const spec = failureSpec('flapping', o.status, o.error, 503);
  return defineFault(
    'flapping',
    `flapping(period=${period}, downFor=${downFor}, at=${at}, ${describeSpec(spec)})`,
    () =>
      ({ now, random }) => {
        if (now < at || (now - at) % period >= downFor) return [];
        return [failureEffect('flapping', 'transport', spec, (items) => random.pick(items))];
      },
  );
}

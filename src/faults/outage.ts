/*
 * `faults.outage`: the service is down for one window of schedule time.
 */

import { checkOptions, durationMs, optionPath, positiveDurationMs } from '../options/validate.js';
import type { Duration } from '../time/duration.js';
import { describeSpec, failureEffect, failureSpec, type NamedError } from './error-catalog.js';
import { defineFault, type Fault } from './fault.js';

export interface OutageOptions {
  /** Start of the outage (schedule time: virtual time since the start of the run). */
  at: Duration;
  /** Length of the outage. */
  for: Duration;
  /** HTTP status during the outage (default 503), or a list to pick from. */
  status?: number | readonly number[];
  /** A named failure instead, e.g. `'connection_refused'`. */
  error?: NamedError;
}

/**
 * Every call arriving in `[at, at + for)` fails (the start is included, the end
 * is not): by default with 503, or with `status` / `error`. An outage wins over
 * status errors from other faults (it is a `transport` fault).
 *
 * @example
 * ```ts
 * faults.outage({ at: '10m', for: '2m' })                            // 503s from 10:00 to 11:59.999
 * faults.outage({ at: '1h', for: '30s', error: 'connection_refused' })
 * ```
 */
export function outage(options: OutageOptions): Fault {
  const o = checkOptions('faults.outage', options, ['at', 'for', 'status', 'error'], true);
  const at = durationMs(optionPath('faults.outage', 'at'), o.at);
  const length = positiveDurationMs(optionPath('faults.outage', 'for'), o.for);
  const spec = failureSpec('outage', o.status, o.error, 503);
  const end = at + length;
  return defineFault(
    'outage',
    `outage(at=${at}, for=${length}, ${describeSpec(spec)})`,
    () =>
      ({ now, random }) =>
        now >= at && now < end
          ? [failureEffect('outage', 'transport', spec, (items) => random.pick(items))]
          : [],
  );
}

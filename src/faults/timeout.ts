/*
 * `faults.timeout`: a server-side timeout. Without `after` it is a hang; with
 * `after`, the call fails at exactly that time with ETIMEDOUT (or a 504 /
 * the given status), whatever the service's latency.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, durationMs, optionPath, probability } from '../options/validate.js';
import type { Duration } from '../time/duration.js';
import { errorBody, errorTypeForStatus, statusText } from './error-catalog.js';
import { defineFault, type Fault, type FaultEffect } from './fault.js';

export interface TimeoutOptions {
  /** Fail this long after the call starts. Omitted: the call hangs until aborted. */
  after?: Duration;
  /** Fraction of calls affected, in [0, 1]. Default 1. */
  rate?: number;
  /** Answer with this HTTP status (e.g. 504) instead of a network ETIMEDOUT. Needs `after`. */
  status?: number;
}

/**
 * Calls time out on the server side. `faults.timeout()` hangs like
 * `faults.hang()`; `faults.timeout({ after: '30s' })` fails each affected call
 * exactly 30 s after it started with a network `ETIMEDOUT`, or with `status`.
 *
 * @example
 * ```ts
 * faults.timeout({ after: '30s', status: 504, rate: 0.02 })
 * ```
 */
export function timeout(options?: TimeoutOptions): Fault {
  const o = checkOptions('faults.timeout', options, ['after', 'rate', 'status']);
  const rate = o.rate === undefined ? 1 : probability(optionPath('faults.timeout', 'rate'), o.rate);
  const afterMs =
    o.after === undefined ? undefined : durationMs(optionPath('faults.timeout', 'after'), o.after);
  const status = o.status;
  if (status !== undefined) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
      throw new ConfigError(
        optionPath('faults.timeout', 'status'),
        status,
        'an HTTP error status in [400, 599]',
      );
    }
    if (afterMs === undefined) {
      throw new ConfigError(optionPath('faults.timeout', 'after'), o.after, 'a duration when status is set');
    }
  }
  const effect: FaultEffect =
    afterMs === undefined
      ? { type: 'hang', fault: 'timeout', stage: 'transport' }
      : status === undefined
        ? {
            type: 'network',
            fault: 'timeout',
            stage: 'transport',
            code: 'ETIMEDOUT',
            message: 'request timed out',
            afterMs,
          }
        : {
            type: 'status',
            fault: 'timeout',
            stage: 'transport',
            status,
            errorType: errorTypeForStatus(status),
            message: statusText(status),
            headers: {},
            body: errorBody(errorTypeForStatus(status), statusText(status)),
            afterMs,
          };
  const parts = [afterMs === undefined ? 'hang' : `after=${afterMs}`, `rate=${rate}`];
  if (status !== undefined) parts.push(`status=${status}`);
  return defineFault(
    'timeout',
    `timeout(${parts.join(', ')})`,
    () =>
      ({ random }) =>
        random.chance(rate) ? [effect] : [],
  );
}

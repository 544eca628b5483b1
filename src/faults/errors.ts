/*
 * `faults.errors`: fail a fraction of calls with an HTTP status (or a named
 * failure from the error catalog).
 */

import { checkOptions, optionPath, probability } from '../options/validate.js';
import {
  describeSpec,
  type FailureSpec,
  failureEffect,
  failureSpec,
  type NamedError,
} from './error-catalog.js';
import { defineFault, type Fault } from './fault.js';

export interface ErrorsOptions {
  /** Fraction of calls that fail, in [0, 1]. */
  rate: number;
  /** HTTP status to answer with (default 500), or a list to pick from uniformly. */
  status?: number | readonly number[];
  /** A named failure instead of a status: `'insufficient_quota'`, `'connection_reset'`, ... */
  error?: NamedError;
}

/**
 * Fails each call with probability `rate`. With `status`, the service answers
 * with that HTTP status (a list: one picked per failure) and a provider-style
 * body; with `error`, a named failure (`'insufficient_quota'` is a 429 with
 * `x-should-retry: false`; `'connection_reset'` a network error without status).
 *
 * @example
 * ```ts
 * faults.errors({ rate: 0.05, status: 503 })
 * faults.errors({ rate: 0.01, error: 'insufficient_quota' })
 * ```
 */
export function errors(options: ErrorsOptions): Fault {
  const o = checkOptions('faults.errors', options, ['rate', 'status', 'error'], true);
  const rate = probability(optionPath('faults.errors', 'rate'), o.rate);
  const spec: FailureSpec = failureSpec('errors', o.status, o.error, 500);
  const stage = spec.kind === 'network' ? 'transport' : 'status';
  return defineFault(
    'errors',
    `errors(rate=${rate}, ${describeSpec(spec)})`,
    () =>
      ({ random }) =>
        random.chance(rate) ? [failureEffect('errors', stage, spec, (items) => random.pick(items))] : [],
  );
}

/*
 * `faults.reset`: the connection drops before any response (no HTTP status).
 */

import { NETWORK_ERROR_CODES, type NetworkErrorCode, networkMessage } from '../errors/network-codes.js';
import { checkOptions, oneOf, optionPath, probability } from '../options/validate.js';
import { defineFault, type Fault } from './fault.js';

export interface ResetOptions {
  /** Fraction of calls reset, in [0, 1]. Default 1 (schedule it with `when`). */
  rate?: number;
  /** Network error code. Default `'ECONNRESET'`. */
  code?: NetworkErrorCode;
}

/**
 * Fails calls at the network level: the caller gets a `ServiceError` with
 * `code: 'ECONNRESET'` (or `code`) and no `status`; over HTTP, a network error.
 * The handler is not called.
 *
 * @example
 * ```ts
 * faults.reset({ rate: 0.01 })
 * faults.reset({ code: 'ECONNREFUSED' })
 * ```
 */
export function reset(options?: ResetOptions): Fault {
  const o = checkOptions('faults.reset', options, ['rate', 'code']);
  const rate = o.rate === undefined ? 1 : probability(optionPath('faults.reset', 'rate'), o.rate);
  const code =
    o.code === undefined
      ? 'ECONNRESET'
      : oneOf(optionPath('faults.reset', 'code'), o.code, NETWORK_ERROR_CODES);
  const message = networkMessage(code);
  return defineFault(
    'reset',
    `reset(rate=${rate}, code=${code})`,
    () =>
      ({ random }) =>
        random.chance(rate) ? [{ type: 'network', fault: 'reset', stage: 'transport', code, message }] : [],
  );
}

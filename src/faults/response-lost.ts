/*
 * `faults.responseLost`: the service does the work, the caller sees a failure
 * (the classic "applied but response lost" that makes retries non-idempotent).
 */
import { ConfigError } from '../errors/config-error.js';
import { NETWORK_ERROR_CODES, type NetworkErrorCode } from '../errors/network-codes.js';
import { checkOptions, oneOf, optionPath, probability } from '../options/validate.js';
import { defineFault, type Fault, type ResponseLostEffect } from './fault.js';

export interface ResponseLostOptions {
  /** Fraction of calls whose response is lost, in [0, 1]. */
  rate: number;
  /** Network code the caller sees. Default `'ECONNRESET'`. */
  code?: NetworkErrorCode;
  /** A gateway status (e.g. 502 or 504) instead of a network error. */
  status?: number;
}

/**
 * With probability `rate`, the handler runs to completion (its side effects
 * happen) and then the caller gets a failure: a network error (`ECONNRESET`)
 * or, with `status`, a gateway error.
 *
 * @example
 * ```ts
 * faults.responseLost({ rate: 0.05 })                // payment applied, client sees ECONNRESET
 * faults.responseLost({ rate: 0.05, status: 504 })
 * ```
 */
export function responseLost(options: ResponseLostOptions): Fault {
  const o = checkOptions('faults.responseLost', options, ['rate', 'code', 'status'], true);
  const rate = probability(optionPath('faults.responseLost', 'rate'), o.rate);
  if (o.code !== undefined && o.status !== undefined) {
    throw new ConfigError(
      optionPath('faults.responseLost', 'status'),
      o.status,
      'either code or status, not both',
    );
  }
  const code =
    o.code === undefined
      ? 'ECONNRESET'
      : oneOf(optionPath('faults.responseLost', 'code'), o.code, NETWORK_ERROR_CODES);
  const status = o.status;
  if (
    status !== undefined &&
    (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
  ) {
    throw new ConfigError(
      optionPath('faults.responseLost', 'status'),
      status,
      'an HTTP error status in [400, 599]',
    );
  }
  const effect: ResponseLostEffect = {
    type: 'response-lost',
    fault: 'responseLost',
    stage: 'response',
    code,
    ...(status !== undefined ? { status } : {}),
  };
  return defineFault(
    'responseLost',
    `responseLost(rate=${rate}, ${status !== undefined ? `status=${status}` : `code=${code}`})`,
    () =>
      ({ random }) =>
        random.chance(rate) ? [effect] : [],
  );
}

/*
 * `faults.overloaded`: Anthropic-style 529 `overloaded_error`.
 */

import { checkOptions, optionPath, probability } from '../options/validate.js';
import { errorBody } from './error-catalog.js';
import { defineFault, type Fault, type StatusErrorEffect } from './fault.js';

export interface OverloadedOptions {
  /** Fraction of calls answered with 529, in [0, 1]. Default 1 (schedule it with `when`). */
  rate?: number;
}

/**
 * Answers 529 with `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`.
 * Retry classifiers treat it like a rate limit.
 *
 * @example
 * ```ts
 * faults.overloaded({ rate: 0.02 })
 * ```
 */
export function overloaded(options?: OverloadedOptions): Fault {
  const o = checkOptions('faults.overloaded', options, ['rate']);
  const rate = o.rate === undefined ? 1 : probability(optionPath('faults.overloaded', 'rate'), o.rate);
  const effect: StatusErrorEffect = {
    type: 'status',
    fault: 'overloaded',
    stage: 'status',
    status: 529,
    errorType: 'overloaded_error',
    errorName: 'overloaded',
    message: 'Overloaded',
    headers: {},
    body: errorBody('overloaded_error', 'Overloaded'),
  };
  return defineFault(
    'overloaded',
    `overloaded(rate=${rate})`,
    () =>
      ({ random }) =>
        random.chance(rate) ? [effect] : [],
  );
}

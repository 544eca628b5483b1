/*
 * `faults.hang`: the call never answers. It holds no timer (so it never keeps
 * virtual time busy); only the caller's abort signal ends it.
 */

import { checkOptions, optionPath, probability } from '../options/validate.js';
import { defineFault, type Fault } from './fault.js';

export interface HangOptions {
  /** Fraction of calls that hang, in [0, 1]. Default 1 (every call; schedule it with `when`). */
  rate?: number;
}

/**
 * Makes calls hang forever: the promise settles only when the caller's signal
 * aborts. Without a timeout on the caller, a simulation that awaits a hung call
 * ends in `SimulationDeadlockError`, which is the point.
 *
 * @example
 * ```ts
 * faults.when({ between: ['1m', '2m'] }, faults.hang())
 * ```
 */
export function hang(options?: HangOptions): Fault {
  const o = checkOptions('faults.hang', options, ['rate']);
  const rate = o.rate === undefined ? 1 : probability(optionPath('faults.hang', 'rate'), o.rate);
  return defineFault(
    'hang',
    `hang(rate=${rate})`,
    () =>
      ({ random }) =>
        random.chance(rate) ? [{ type: 'hang', fault: 'hang', stage: 'transport' }] : [],
  );
}

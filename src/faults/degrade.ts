/*
 * `faults.degrade`: a linear ramp of added latency or of error rate over a
 * span of schedule time; it stays at `to` afterwards.
 */
import { ConfigError } from '../errors/config-error.js';
import {
  checkOptions,
  durationMs,
  optionPath,
  positiveDurationMs,
  probability,
} from '../options/validate.js';
import type { Duration } from '../time/duration.js';
import { describeSpec, failureEffect, failureSpec, type NamedError } from './error-catalog.js';
import { defineFault, type Fault } from './fault.js';

export interface DegradeOptions {
  /**
   * Starting value: a duration of added latency, or, when `status` or `error`
   * is given, an error probability in [0, 1].
   */
  from: Duration;
  /** Value reached at `at + over` and kept afterwards (same unit as `from`). */
  to: Duration;
  /** Length of the ramp. */
  over: Duration;
  /** When the ramp starts (schedule time). Default 0. */
  at?: Duration;
  /** Ramp the error rate instead of latency, failing with this status (or list). */
  status?: number | readonly number[];
  /** Ramp the error rate instead of latency, failing with this named failure. */
  error?: NamedError;
}

/**
 * Degrades a service gradually. The value is `from` until `at`, moves linearly
 * to `to` over `over`, and stays at `to`. Without `status`/`error` the value is
 * latency added to each call (exactly, no randomness); with them it is the
 * probability that a call fails.
 *
 * @example
 * ```ts
 * faults.degrade({ from: '50ms', to: '2s', over: '10m' })               // latency ramp
 * faults.degrade({ from: 0, to: 0.5, over: '5m', at: '1m', status: 503 }) // error-rate ramp
 * ```
 */
export function degrade(options: DegradeOptions): Fault {
  const o = checkOptions('faults.degrade', options, ['from', 'to', 'over', 'at', 'status', 'error'], true);
  const over = positiveDurationMs(optionPath('faults.degrade', 'over'), o.over);
  const at = o.at === undefined ? 0 : durationMs(optionPath('faults.degrade', 'at'), o.at);
  const errorsMode = o.status !== undefined || o.error !== undefined;
  const value = (key: 'from' | 'to'): number => {
    if (!errorsMode) return durationMs(optionPath('faults.degrade', key), o[key]);
    if (typeof o[key] !== 'number') {
      throw new ConfigError(
        optionPath('faults.degrade', key),
        o[key],
        'a probability in [0, 1] (status or error is set)',
      );
    }
    return probability(optionPath('faults.degrade', key), o[key]);
  };
  const from = value('from');
  const to = value('to');
  const level = (now: number): number => {
    if (now <= at) return from;
    if (now >= at + over) return to;
    return from + ((to - from) * (now - at)) / over;
  };
  const span = `from=${from}, to=${to}, over=${over}, at=${at}`;
  if (!errorsMode) {
    return defineFault('degrade', `degrade(latency ${span})`, () => ({ now }) => {
      const ms = level(now);
      return ms > 0 ? [{ type: 'delay', fault: 'degrade', stage: 'latency', ms }] : [];
    });
  }
  const spec = failureSpec('degrade', o.status, o.error, 500);
  const stage = spec.kind === 'network' ? 'transport' : 'status';
  return defineFault(
    'degrade',
    `degrade(error rate ${span}, ${describeSpec(spec)})`,
    () =>
      ({ now, random }) =>
        random.chance(level(now))
          ? [failureEffect('degrade', stage, spec, (items) => random.pick(items))]
          : [],
  );
}

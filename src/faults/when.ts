/*
 * `faults.when`: schedules another fault by call count, time window and
 * probability.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, durationMs, integerAtLeast, optionPath, probability } from '../options/validate.js';
import type { Duration } from '../time/duration.js';
import { defineFault, type Fault, isFault } from './fault.js';

export interface WhenOptions {
  /** Active only after this many calls: from call index `afterCalls` on. */
  afterCalls?: number;
  /** Active only for calls arriving in `[from, to)` (schedule time). */
  between?: readonly [Duration, Duration];
  /** Active for each call with this probability, in [0, 1]. */
  probability?: number;
}

/**
 * Applies `fault` only to calls that meet every condition: index ≥ `afterCalls`,
 * arrival time in `[between[0], between[1])`, and a `probability` draw. The inner
 * fault sees (and counts) only the calls it is active for. The draw is made only
 * when the other conditions hold.
 *
 * @example
 * ```ts
 * faults.when({ afterCalls: 100 }, faults.reset())
 * faults.when({ between: ['5m', '7m'], probability: 0.3 }, faults.errors({ rate: 1, status: 503 }))
 * ```
 */
export function when(options: WhenOptions, fault: Fault): Fault {
  const o = checkOptions('faults.when', options, ['afterCalls', 'between', 'probability'], true);
  if (!isFault(fault))
    throw new ConfigError('faults.when(options, fault)', fault, 'a fault from the faults catalog');
  const afterCalls =
    o.afterCalls === undefined ? 0 : integerAtLeast(optionPath('faults.when', 'afterCalls'), o.afterCalls, 0);
  const p =
    o.probability === undefined ? 1 : probability(optionPath('faults.when', 'probability'), o.probability);
  let from = 0;
  let to = Number.POSITIVE_INFINITY;
  if (o.between !== undefined) {
    if (!Array.isArray(o.between) || o.between.length !== 2) {
      throw new ConfigError(
        optionPath('faults.when', 'between'),
        o.between,
        'a pair [from, to] of durations',
      );
    }
    from = durationMs(optionPath('faults.when', 'between'), o.between[0]);
    to = durationMs(optionPath('faults.when', 'between'), o.between[1]);
    if (!(to > from))
      throw new ConfigError(
        optionPath('faults.when', 'between'),
        o.between,
        'a pair [from, to] with to > from',
      );
  }
  const parts: string[] = [];
  if (afterCalls > 0) parts.push(`afterCalls=${afterCalls}`);
  if (o.between !== undefined) parts.push(`between=[${from}, ${to}]`);
  if (p < 1) parts.push(`probability=${p}`);
  return defineFault('when', `when(${parts.join(', ')}, ${fault.description})`, (random) => {
    const gate = random.fork('gate');
    const innerRandom = random.fork('inner');
    const inner = fault.start(innerRandom);
    return (context) => {
      if (context.callIndex < afterCalls || context.now < from || context.now >= to) return [];
      if (p < 1 && !gate.chance(p)) return [];
      return inner.decide({ ...context, random: innerRandom });
    };
  });
}

import { type Duration, duration, formatDuration } from '../time/duration.js';
import { arity } from './args.js';
import type { MatcherContext, MatcherOutcome } from './context.js';
import { simulationResult } from './received.js';
import { verdict } from './report.js';
import { describeOutcome, endEvents } from './run-outcome.js';

/**
 * Passes when the body returned and the run took at most `limit` of virtual
 * time (`result.stats.virtualTimeMs`; with `until`, a run lasts at least that long).
 *
 * @example
 * ```ts
 * expect(result).toHaveCompletedWithin('45s');
 * ```
 */
export function toHaveCompletedWithin(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveCompletedWithin';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 1, 'duration');
  const limit = duration(args[0] as Duration, `${matcher}(duration)`);
  const took = result.stats.virtualTimeMs;
  return verdict(this, result, result.outcome === 'ok' && took <= limit, {
    subject: 'the run',
    predicate: `complete within ${formatDuration(limit)} of virtual time`,
    happened: describeOutcome(result),
    ...endEvents(result),
    actual: `${result.outcome} after ${formatDuration(took)}`,
    expected: `ok within ${formatDuration(limit)}`,
  });
}

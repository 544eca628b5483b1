import { arity } from './args.js';
import type { MatcherContext, MatcherOutcome } from './context.js';
import { simulationResult } from './received.js';
import { verdict } from './report.js';
import { describeOutcome, endEvents } from './run-outcome.js';

/**
 * Passes when the simulation body returned (`result.outcome === 'ok'`): it did
 * not throw and was not stopped by `until` first.
 *
 * @example
 * ```ts
 * expect(result).toHaveSucceeded();
 * ```
 */
export function toHaveSucceeded(this: MatcherContext, received: unknown, ...args: unknown[]): MatcherOutcome {
  const result = simulationResult(received, 'toHaveSucceeded');
  arity('toHaveSucceeded', args, 0, '');
  return verdict(this, result, result.outcome === 'ok', {
    subject: 'the run',
    predicate: 'succeed (the body returns)',
    happened: describeOutcome(result),
    ...endEvents(result),
    actual: result.outcome,
    expected: 'ok',
  });
}

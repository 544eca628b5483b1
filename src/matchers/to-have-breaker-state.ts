import { arity, nameArg, nameMatches } from './args.js';
import { breakerHistories, breakerRoster, describeTransitions } from './breaker-history.js';
import { breakerStateArg } from './breaker-state-arg.js';
import { type MatcherContext, type MatcherOutcome, matches, show } from './context.js';
import { simulationResult } from './received.js';
import { verdict } from './report.js';
import { missingName, unknownName } from './unknown-name.js';

/**
 * Passes when the breaker was in `state` at the end of the run
 * (`'closed' | 'open' | 'half-open' | 'isolated'`). A name no breaker of the
 * run has fails, with or without `.not`.
 *
 * @example
 * ```ts
 * expect(result).toHaveBreakerState('llm', 'closed');
 * ```
 */
export function toHaveBreakerState(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveBreakerState';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 2, 'name, state');
  const name = nameArg(matcher, 'name', args[0], false);
  const state = breakerStateArg(`${matcher}(state)`, args[1]);
  const all = breakerHistories(result.trace);
  const subject = `breaker ${show(name)}`;
  const missing = missingName(this, name!, breakerRoster(all));
  if (missing) return unknownName(this, result, subject, `end ${show(state)}`, missing);
  const h = all.find((b) => nameMatches(this, b.name, name))!;
  const last = h.transitions[h.transitions.length - 1];
  return verdict(this, result, matches(this, h.final, state), {
    subject,
    predicate: `end ${show(state)}`,
    happened: [`it ended ${h.final}`, describeTransitions(h)],
    relevant: h.events,
    decisive: last ? [last.event] : [],
    actual: h.final,
    expected: state,
  });
}

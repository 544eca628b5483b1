import { ConfigError } from '../errors/config-error.js';
import { arity, nameArg, nameMatches } from './args.js';
import { breakerHistories, breakerRoster, describeTransitions } from './breaker-history.js';
import { breakerStateArg } from './breaker-state-arg.js';
import { isAsymmetric, type MatcherContext, type MatcherOutcome, matches, show } from './context.js';
import { simulationResult } from './received.js';
import { verdict } from './report.js';
import { missingName, unknownName } from './unknown-name.js';

/**
 * Passes when the breaker visited exactly `states`, in order, starting with the
 * initial one (`'closed'`). Elements may be asymmetric matchers, and so may the
 * whole list (`expect.arrayContaining(['open'])`). A name no breaker of the run
 * has fails, with or without `.not`.
 *
 * @example
 * ```ts
 * expect(result).toHaveBreakerTransitions('llm', ['closed', 'open', 'half-open', 'closed']);
 * ```
 */
export function toHaveBreakerTransitions(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveBreakerTransitions';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 2, 'name, states[]');
  const name = nameArg(matcher, 'name', args[0], false);
  const states = args[1];
  if (Array.isArray(states)) {
    for (const [i, s] of states.entries()) breakerStateArg(`${matcher}(states[${i}])`, s);
  } else if (!isAsymmetric(states))
    throw new ConfigError(`${matcher}(states)`, states, "an array of states such as ['closed', 'open']");
  const expectedText = Array.isArray(states) ? states.map((s) => show(s)).join(' → ') : show(states);
  const all = breakerHistories(result.trace);
  const subject = `breaker ${show(name)}`;
  const predicate = `go through ${expectedText}`;
  const missing = missingName(this, name!, breakerRoster(all));
  if (missing) return unknownName(this, result, subject, predicate, missing);
  const h = all.find((b) => nameMatches(this, b.name, name))!;
  return verdict(this, result, matches(this, [...h.visited], states), {
    subject,
    predicate,
    happened: [`it went through ${h.visited.map((s) => `'${s}'`).join(' → ')}`, describeTransitions(h, 12)],
    relevant: h.events,
    decisive: h.transitions.map((t) => t.event),
    actual: [...h.visited],
    expected: states,
  });
}

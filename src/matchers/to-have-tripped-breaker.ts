import { arity, countArg, countMatches, countPhrase, nameArg, nameMatches, optionsArg } from './args.js';
import { breakerHistories, describeTransitions, knownBreakers } from './breaker-history.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { count, verdict } from './report.js';

/**
 * Passes when the breaker (any breaker without a name) opened: at least once,
 * or exactly / matching `times`. Every transition into `open` counts, a reopening
 * after a failed probe included.
 *
 * @example
 * ```ts
 * expect(result).toHaveTrippedBreaker('llm');
 * expect(result).toHaveTrippedBreaker('llm', { times: 2 });
 * ```
 */
export function toHaveTrippedBreaker(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveTrippedBreaker';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 2, 'name?, { times? }');
  const name = nameArg(matcher, 'name', args[0], true);
  const { times: rawTimes } = optionsArg<{ times: unknown }>(matcher, args[1], ['times']);
  const times = countArg(matcher, '{ times }', rawTimes);
  const all = breakerHistories(result.trace);
  const selected = all.filter((h) => nameMatches(this, h.name, name));
  const trips = selected.flatMap((h) => h.transitions.filter((t) => t.to === 'open'));
  const subject = name === undefined ? 'a breaker' : `breaker ${show(name)}`;
  const happened =
    selected.length === 0
      ? [`no breaker ${name === undefined ? 'at all' : `named ${show(name)}`}; ${knownBreakers(all)}`]
      : [
          ...(trips.length > 0
            ? [`${name === undefined ? 'breakers' : subject} opened ${count(trips.length, 'time')}`]
            : []),
          ...selected.map((h) => describeTransitions(h)),
        ];
  return verdict(this, result, countMatches(this, trips.length, times), {
    subject,
    predicate: `trip (open) ${countPhrase(times)}`,
    happened,
    relevant: selected.flatMap((h) => h.events),
    decisive: selected.flatMap((h) => h.transitions.map((t) => t.event)),
    ...(times === undefined ? {} : { actual: trips.length, expected: times }),
  });
}

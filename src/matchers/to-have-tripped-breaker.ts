import { arity, countArg, countMatches, countPhrase, nameArg, nameMatches, optionsArg } from './args.js';
import { breakerHistories, breakerRoster, describeTransitions } from './breaker-history.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { count, verdict } from './report.js';
import { absent, unknownName } from './unknown-name.js';

/**
 * Passes when the breaker (any breaker without a name) opened: at least once,
 * or exactly / matching `times`. Every transition into `open` counts, a reopening
 * after a failed probe included. A name no breaker of the run has fails, with
 * or without `.not` (a breaker made and never called is known).
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
  const subject = name === undefined ? 'a breaker' : `breaker ${show(name)}`;
  const predicate = `trip (open) ${countPhrase(times)}`;
  const missing = absent(this, name, breakerRoster(all));
  if (missing) return unknownName(this, result, subject, predicate, missing, name === undefined);
  const selected = all.filter((h) => nameMatches(this, h.name, name));
  const trips = selected.flatMap((h) => h.transitions.filter((t) => t.to === 'open'));
  const happened =
    selected.length === 0
      ? ['no breaker at all in this run']
      : [
          ...(trips.length > 0
            ? [`${name === undefined ? 'breakers' : subject} opened ${count(trips.length, 'time')}`]
            : []),
          ...selected.map((h) => describeTransitions(h)),
        ];
  return verdict(this, result, countMatches(this, trips.length, times), {
    subject,
    predicate,
    happened,
    relevant: selected.flatMap((h) => h.events),
    decisive: selected.flatMap((h) => h.transitions.map((t) => t.event)),
    ...(times === undefined ? {} : { actual: trips.length, expected: times }),
  });
}

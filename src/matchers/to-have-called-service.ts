import { formatDuration } from '../time/duration.js';
import { arity, countArg, countMatches, countPhrase, nameArg, nameMatches } from './args.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { capped, count, verdict } from './report.js';
import { missingName, unknownName } from './unknown-name.js';

/**
 * Passes when the mock service (`sim.service`, `sim.llm`) received calls: at
 * least one, or exactly / matching `times`. Calls refused before reaching it
 * (an open breaker) do not count. A name no service of the run has fails,
 * with or without `.not` (a service made and never called is known).
 *
 * @example
 * ```ts
 * expect(result).toHaveCalledService('llm', 12);
 * ```
 */
export function toHaveCalledService(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveCalledService';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 2, 'name, times?');
  const name = nameArg(matcher, 'name', args[0], false);
  const times = countArg(matcher, 'times', args[1]);
  const service = result.trace.ofKind('service');
  const subject = `service ${show(name)}`;
  const predicate = `be called ${countPhrase(times)}`;
  const names = [...new Set(service.flatMap((e) => (e.actor === undefined ? [] : [e.actor])))];
  const missing = missingName(this, name!, { what: 'service', names });
  if (missing) return unknownName(this, result, subject, predicate, missing);
  const mine = service.filter((e) => nameMatches(this, e.actor, name));
  const calls = mine.filter((e) => e.kind === 'service.call');
  const outcomes = new Map<string, number>();
  for (const e of mine) {
    if (e.kind !== 'service.end') continue;
    const key = `${String(e.data?.outcome)}${e.data?.status !== undefined ? ` ${e.data.status}` : ''}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  const span = calls.length
    ? ` between +${formatDuration(calls[0]!.t)} and +${formatDuration(calls[calls.length - 1]!.t)}`
    : '';
  const happened = [`it received ${count(calls.length, 'call')}${span}`];
  if (outcomes.size) happened.push(`outcomes: ${capped([...outcomes].map(([k, n]) => `${k} ×${n}`))}`);
  return verdict(this, result, countMatches(this, calls.length, times), {
    subject,
    predicate,
    happened,
    relevant: mine,
    decisive: [],
    ...(times === undefined ? {} : { actual: calls.length, expected: times }),
  });
}

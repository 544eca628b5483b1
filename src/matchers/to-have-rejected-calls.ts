import { formatDuration } from '../time/duration.js';
import { arity, countArg, countMatches, countPhrase, nameArg, nameMatches } from './args.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { capped, count, verdict } from './report.js';

/** Event families of components that never reject calls themselves (a service shares its name with its breaker). */
const NOT_GATES = new Set([
  'service',
  'fault',
  'retry',
  'http',
  'agent',
  'request',
  'task',
  'timeout',
  'sim',
]);

function family(kind: string): string {
  const dot = kind.indexOf('.');
  return dot < 0 ? kind : kind.slice(0, dot);
}

/**
 * Passes when the named component (a breaker, or any policy that traces
 * `<kind>.rejected`: bulkhead, rate limiter) refused calls without making
 * them: at least once, or exactly / matching `times`.
 *
 * @example
 * ```ts
 * expect(result).toHaveRejectedCalls('llm');
 * expect(result).toHaveRejectedCalls('llm', expect.any(Number));
 * ```
 */
export function toHaveRejectedCalls(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveRejectedCalls';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 2, 'name, times?');
  const name = nameArg(matcher, 'name', args[0], false);
  const times = countArg(matcher, 'times', args[1]);
  const events = result.trace.events;
  const mine = events.filter((e) => nameMatches(this, e.actor, name));
  const rejected = mine.filter((e) => e.kind.endsWith('.rejected'));
  const families = new Set(rejected.map((e) => family(e.kind)));
  if (families.size === 0)
    for (const e of mine) if (!NOT_GATES.has(family(e.kind))) families.add(family(e.kind));
  const subject = show(name);
  const happened: string[] = [];
  if (mine.length === 0) {
    const rejecters = [...new Set(events.filter((e) => e.kind.endsWith('.rejected')).map((e) => e.actor))];
    happened.push(
      `nothing named ${subject} in the trace; ${rejecters.length ? `components that rejected calls: ${rejecters.map((a) => `'${a}'`).join(', ')}` : 'no component rejected any call'}`,
    );
  } else {
    const when = rejected.map((e) => `+${formatDuration(e.t)} (${String(e.data?.state ?? e.kind)})`);
    happened.push(
      `${subject} rejected ${count(rejected.length, 'call')}${rejected.length ? `: ${capped(when)}` : ''}`,
    );
  }
  return verdict(this, result, countMatches(this, rejected.length, times), {
    subject,
    predicate: `reject calls ${countPhrase(times)}`,
    happened,
    relevant: mine.filter((e) => families.has(family(e.kind))),
    decisive: rejected,
    ...(times === undefined ? {} : { actual: rejected.length, expected: times }),
  });
}

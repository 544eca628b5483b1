import { formatDuration } from '../time/duration.js';
import type { TraceEvent } from '../trace/event.js';
import { arity, countArg, countMatches, countPhrase, type Expected, nameArg, nameMatches } from './args.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { capped, count, verdict } from './report.js';
import { missingName, quoted, type Roster, unknownName } from './unknown-name.js';

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

/** Event families of the components that refuse calls (`breaker.rejected`, `bulkhead.rejected`, …). */
const REJECTING = ['breaker', 'bulkhead', 'rate-limiter'];

/**
 * The components that can refuse calls: breakers, bulkheads, rate limiters and
 * any family that traced a `.rejected` in this run; with a remark when `name`
 * is only something that cannot (a service, a fallback chain).
 */
function gateRoster(events: readonly TraceEvent[], name: Expected<string>): Roster {
  const gates = new Set(REJECTING);
  for (const e of events) if (e.kind.endsWith('.rejected')) gates.add(family(e.kind));
  const names = new Set<string>();
  const other = new Set<string>();
  for (const e of events) {
    if (e.actor === undefined) continue;
    if (gates.has(family(e.kind))) names.add(e.actor);
    else if (e.actor === name) other.add(`${family(e.kind)}.*`);
  }
  return {
    what: 'breaker, bulkhead or rate limiter',
    names: [...names],
    listing: `components that can refuse calls: ${quoted([...names])}`,
    ...(other.size > 0
      ? { remark: `${show(name)} appears only in ${[...other].join(', ')} events, which never refuse calls` }
      : {}),
  };
}

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
  const subject = show(name);
  const predicate = `reject calls ${countPhrase(times)}`;
  const missing = missingName(this, name!, gateRoster(events, name!));
  if (missing) return unknownName(this, result, subject, predicate, missing);
  const mine = events.filter((e) => nameMatches(this, e.actor, name));
  const rejected = mine.filter((e) => e.kind.endsWith('.rejected'));
  const families = new Set(rejected.map((e) => family(e.kind)));
  if (families.size === 0)
    for (const e of mine) if (!NOT_GATES.has(family(e.kind))) families.add(family(e.kind));
  const when = rejected.map((e) => `+${formatDuration(e.t)} (${String(e.data?.state ?? e.kind)})`);
  const happened = [
    `${subject} rejected ${count(rejected.length, 'call')}${rejected.length ? `: ${capped(when)}` : ''}`,
  ];
  return verdict(this, result, countMatches(this, rejected.length, times), {
    subject,
    predicate,
    happened,
    relevant: mine.filter((e) => families.has(family(e.kind))),
    decisive: rejected,
    ...(times === undefined ? {} : { actual: rejected.length, expected: times }),
  });
}

import { formatDuration } from '../time/duration.js';
import type { TraceEvent } from '../trace/event.js';
import { arity, countArg, countMatches, countPhrase, type Expected, nameArg, nameMatches } from './args.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { capped, count, verdict } from './report.js';
import { missingName, quoted, type Roster, unknownName } from './unknown-name.js';

/** Event families of the components that refuse calls (`breaker.rejected`, `bulkhead.rejected`, …). */
const REJECTING = ['breaker', 'bulkhead', 'rate-limiter'];

/** The event families of components that can refuse calls: `REJECTING` and any family that traced a `.rejected` in this run. */
function gateFamilies(events: readonly TraceEvent[]): Set<string> {
  const gates = new Set(REJECTING);
  for (const e of events) if (e.kind.endsWith('.rejected')) gates.add(family(e.kind));
  return gates;
}

/**
 * The components that can refuse calls, with a remark when `name` is only
 * something that cannot (a service, a fallback chain), which shares its name
 * with nothing that can.
 */
function gateRoster(events: readonly TraceEvent[], gates: Set<string>, name: Expected<string>): Roster {
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
 * them: at least once, or exactly / matching `times`. A name that is no such
 * component of the run fails, with or without `.not`.
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
  const gates = gateFamilies(events);
  const missing = missingName(this, name!, gateRoster(events, gates, name!));
  if (missing) return unknownName(this, result, subject, predicate, missing);
  // a service or a retry often shares its name with its breaker: only the gate's events are its story
  const mine = events.filter((e) => gates.has(family(e.kind)) && nameMatches(this, e.actor, name));
  const rejected = mine.filter((e) => e.kind.endsWith('.rejected'));
  const when = rejected.map((e) => `+${formatDuration(e.t)} (${String(e.data?.state ?? e.kind)})`);
  const happened = [
    `${subject} rejected ${count(rejected.length, 'call')}${rejected.length ? `: ${capped(when)}` : ''}`,
  ];
  return verdict(this, result, countMatches(this, rejected.length, times), {
    subject,
    predicate,
    happened,
    relevant: mine,
    decisive: rejected,
    ...(times === undefined ? {} : { actual: rejected.length, expected: times }),
  });
}

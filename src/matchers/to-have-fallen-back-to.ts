import { formatDuration } from '../time/duration.js';
import type { TraceEvent } from '../trace/event.js';
import { arity, nameArg, nameMatches } from './args.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { capped, verdict } from './report.js';
import { missingName, quoted, type Roster, unknownName } from './unknown-name.js';

/**
 * Passes when the run fell back to `name`: a `fallback` chain reached the step
 * named `name` after an earlier step failed (`fallback.step`, index > 0), or
 * the agent named `name` answered with its fallback (`agent.fallback`). A name
 * that is no step of the run's chains and no agent that ran fails, with or
 * without `.not`.
 *
 * @example
 * ```ts
 * expect(result).toHaveFallenBackTo('cache');
 * ```
 */
export function toHaveFallenBackTo(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveFallenBackTo';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 1, 'name');
  const name = nameArg(matcher, 'name', args[0], false);
  const events = result.trace.events;
  const predicate = `fall back to ${show(name)}`;
  const missing = missingName(this, name!, targetRoster(events));
  if (missing) return unknownName(this, result, 'the run', predicate, missing);
  const all = events.filter(
    (e) => (e.kind === 'fallback.step' && Number(e.data?.index) > 0) || e.kind === 'agent.fallback',
  );
  const used = all.filter((e) => nameMatches(this, targetOf(e), name));
  const happened: string[] = [];
  if (used.length > 0) {
    const served = events.filter(
      (e) =>
        e.kind === 'fallback.success' &&
        Number(e.data?.index) > 0 &&
        nameMatches(this, String(e.data?.step), name),
    ).length;
    const steps = used.filter((e) => e.kind === 'fallback.step').length;
    happened.push(
      `it fell back to ${show(name)} ${used.length === 1 ? 'once' : `${used.length} times`}, first at +${formatDuration(used[0]!.t)}${steps ? ` (the step served ${served} of ${steps})` : ''}`,
    );
  } else {
    const seen = new Map<string, number>();
    for (const e of all) seen.set(describeTarget(e), (seen.get(describeTarget(e)) ?? 0) + 1);
    happened.push(
      all.length
        ? `it never fell back to ${show(name)}; fallbacks in the run: ${capped([...seen].map(([k, n]) => `${k} ×${n}`))}`
        : 'no fallback was used in the run',
    );
  }
  return verdict(this, result, used.length > 0, {
    subject: 'the run',
    predicate,
    happened,
    relevant: events.filter((e) => e.kind.startsWith('fallback.') || e.kind === 'agent.fallback'),
    decisive: used.slice(0, 3),
  });
}

/** What the run can fall back to: the steps of its fallback chains (from `fallback.declared`) and its agents. */
function targetRoster(events: readonly TraceEvent[]): Roster {
  const steps = new Set<string>();
  const agents = new Set<string>();
  for (const e of events) {
    if (e.kind === 'fallback.declared' && Array.isArray(e.data?.steps))
      for (const step of e.data.steps) steps.add(String(step));
    else if (e.kind.startsWith('fallback.') && typeof e.data?.step === 'string') steps.add(e.data.step);
    else if (e.kind.startsWith('agent.') && e.actor !== undefined) agents.add(e.actor);
  }
  const listing = [
    ...(steps.size ? [`fallback steps: ${quoted([...steps])}`] : []),
    ...(agents.size ? [`agents: ${quoted([...agents])}`] : []),
  ].join('; ');
  return {
    what: 'fallback step or agent',
    names: [...steps, ...agents],
    listing,
    none: 'it has no fallback chain and no agent ran',
  };
}

function targetOf(e: TraceEvent): string | undefined {
  return e.kind === 'agent.fallback' ? e.actor : String(e.data?.step);
}

function describeTarget(e: TraceEvent): string {
  return e.kind === 'agent.fallback' ? `agent '${e.actor}'` : `'${String(e.data?.step)}' (in '${e.actor}')`;
}

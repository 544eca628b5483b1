/*
 * A breaker's story as the trace tells it: its state changes with virtual
 * times, the states it visited (starting with the initial `closed`), and its
 * call counts. Breakers trace `breaker.*` events with their name as actor,
 * from `breaker.declared` when they are made.
 */
import { formatDuration } from '../time/duration.js';
import type { TraceEvent } from '../trace/event.js';
import type { Trace } from '../trace/trace.js';
import { count } from './report.js';
import type { Roster } from './unknown-name.js';

export interface BreakerTransition {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly event: TraceEvent;
}

export interface BreakerHistory {
  readonly name: string;
  /** Every `breaker.*` event of this breaker. */
  readonly events: readonly TraceEvent[];
  readonly transitions: readonly BreakerTransition[];
  /** States visited in order, starting with the initial one. */
  readonly visited: readonly string[];
  /** The state at the end of the run. */
  readonly final: string;
  readonly admitted: number;
  readonly failures: number;
  readonly rejected: number;
}

/** The initial state of every faultline breaker. */
export const INITIAL_STATE = 'closed';

/** Every breaker in the trace, in order of first appearance. */
export function breakerHistories(trace: Trace): BreakerHistory[] {
  const byName = new Map<string, TraceEvent[]>();
  for (const e of trace.ofKind('breaker')) {
    if (e.actor === undefined) continue;
    let list = byName.get(e.actor);
    if (!list) byName.set(e.actor, (list = []));
    list.push(e);
  }
  return [...byName].map(([name, events]) => history(name, events));
}

function history(name: string, events: TraceEvent[]): BreakerHistory {
  const transitions: BreakerTransition[] = [];
  let admitted = 0;
  let failures = 0;
  let rejected = 0;
  for (const e of events) {
    if (e.kind === 'breaker.state') {
      const d = e.data ?? {};
      transitions.push({ from: String(d.from), to: String(d.to), reason: String(d.reason), event: e });
    } else if (e.kind === 'breaker.admitted') admitted++;
    else if (e.kind === 'breaker.failure') failures++;
    else if (e.kind === 'breaker.rejected') rejected++;
  }
  const visited = [transitions[0]?.from ?? INITIAL_STATE, ...transitions.map((t) => t.to)];
  return {
    name,
    events,
    transitions,
    visited,
    final: visited[visited.length - 1]!,
    admitted,
    failures,
    rejected,
  };
}

/**
 * The breaker's transitions with virtual times, one per line (capped):
 * `breaker 'llm' (10 calls admitted, 4 failures, 9 rejected):` then
 * `  +3.306s  closed → open (failure-threshold)`.
 */
export function describeTransitions(h: BreakerHistory, max = 8): string {
  if (h.transitions.length === 0) return `breaker '${h.name}' stayed ${h.final} (${callCounts(h)})`;
  const lines = h.transitions
    .slice(0, max)
    .map((t) => `  ${`+${formatDuration(t.event.t)}`.padEnd(10)} ${t.from} → ${t.to} (${t.reason})`);
  if (h.transitions.length > max) lines.push(`  … and ${h.transitions.length - max} more transitions`);
  return [`breaker '${h.name}' (${callCounts(h)}):`, ...lines].join('\n');
}

function callCounts(h: BreakerHistory): string {
  return `${count(h.admitted, 'call')} admitted, ${count(h.failures, 'failure')}, ${h.rejected} rejected`;
}

/** The breakers the run has (a breaker traces `breaker.declared` when it is made). */
export function breakerRoster(histories: readonly BreakerHistory[]): Roster {
  return { what: 'breaker', names: histories.map((h) => h.name) };
}

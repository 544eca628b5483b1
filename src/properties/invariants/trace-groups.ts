/*
 * Small readers shared by the invariants: events of one primitive family
 * grouped by actor (each breaker, retry policy, ... is one actor), and typed
 * reads of event data.
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Trace } from '../../trace/trace.js';

/** Events whose kind starts with `family.`, grouped by actor in trace order. */
export function byActor(trace: Trace, family: string, only?: string): Map<string, TraceEvent[]> {
  const groups = new Map<string, TraceEvent[]>();
  for (const e of trace.ofKind(family)) {
    const actor = e.actor ?? '';
    if (only !== undefined && actor !== only) continue;
    let list = groups.get(actor);
    if (list === undefined) groups.set(actor, (list = []));
    list.push(e);
  }
  return groups;
}

/** `e.data[key]` when it is a finite number. */
export function num(e: TraceEvent, key: string): number | undefined {
  const v = e.data?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `e.data[key]` when it is a string. */
export function str(e: TraceEvent, key: string): string | undefined {
  const v = e.data?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** The last event of the trace (its time is the end of the run), if any. */
export function lastEvent(trace: Trace): TraceEvent | undefined {
  const events = trace.events;
  return events[events.length - 1];
}

/** Tolerance for comparing virtual times and delays computed in floating point. */
export const EPSILON = 1e-6;

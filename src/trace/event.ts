import type { KindsMatching, TraceEventMap, TraceEventOf, TraceKind } from './event-map.js';

/**
 * One thing that happened in a run. `seq` is the total order, `t` the virtual
 * time in ms since the start of the run, `actor` the component that emitted it
 * (a task, a breaker, a service), `data` plain JSON-able details. For the data
 * of a known kind, read events through `trace.ofKind(kind)` or narrow with
 * `isEvent(event, kind)` (see `TraceEventMap`).
 */
export interface TraceEvent {
  readonly seq: number;
  readonly t: number;
  readonly kind: string;
  readonly actor?: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * Correlation id of the request this event belongs to (a workload request or
   * an agent run, and everything it caused: retries, breaker decisions, service
   * calls, faults). Absent outside any request.
   */
  readonly req?: string;
}

/**
 * Where components write events. Resilience primitives and services take an
 * optional sink; inside `simulate` it is the run's trace. Only kinds in
 * `TraceEventMap` can be emitted, each with its data type.
 */
export interface TraceSink {
  emit<K extends TraceKind>(kind: K, actor: string | undefined, data: TraceEventMap[K]): void;
}

/** A sink that drops everything (the default outside a simulation). */
export const nullSink: TraceSink = { emit() {} };

/** The events `trace.ofKind(prefix)` returns: typed when `prefix` names known kinds. */
export type EventsMatching<P extends string> = string extends P
  ? TraceEvent
  : [KindsMatching<P>] extends [never]
    ? TraceEvent
    : TraceEventOf<KindsMatching<P>>;

/**
 * Narrows an event to kind `kind` with its typed data.
 *
 * @example
 * ```ts
 * for (const e of result.trace.events) if (isEvent(e, 'breaker.state')) console.log(e.data.to);
 * ```
 */
export function isEvent<K extends TraceKind>(
  event: TraceEvent,
  kind: K,
): event is TraceEvent & TraceEventOf<K> {
  return event.kind === kind;
}

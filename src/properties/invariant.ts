/*
 * What an invariant is: a named, pure check over a run's trace. It reads only
 * the trace (and the configuration the traced primitives declared in it, e.g.
 * `breaker.declared`), so the same invariant judges faultline's own primitives,
 * instrumented third-party ones and a trace loaded from JSONL. An invariant
 * whose primitive does not appear in the trace returns no violation.
 */
import type { TraceEvent } from '../trace/event.js';
import type { Trace } from '../trace/trace.js';

/** One broken rule: which invariant, why, and the event where it broke. */
export interface Violation {
  /** Name of the invariant that was violated (`'breaker'`, `'retry'`, ...). */
  invariant: string;
  /** Why, in one sentence a user can act on. */
  message: string;
  /** What the rule required, when it is a value (a threshold, a bound). */
  expected?: unknown;
  /** What the trace showed instead. */
  actual?: unknown;
  /** The event at which the rule broke (its position and virtual time). */
  event?: { seq: number; t: number; kind: string; actor?: string };
}

/**
 * A named check over a trace. `check` returns every violation it found (often
 * only the first per component: later ones tend to be consequences).
 *
 * @example
 * ```ts
 * const noOverlap: Invariant = {
 *   name: 'no-overlap',
 *   check: (trace) => trace.ofKind('lock.double').map((e) => ({ invariant: 'no-overlap', message: 'held twice', event: at(e) })),
 * };
 * ```
 */
export interface Invariant {
  readonly name: string;
  check(trace: Trace): Violation[];
}

/** The `event` part of a `Violation` for a trace event. */
export function at(e: TraceEvent): NonNullable<Violation['event']> {
  return e.actor === undefined
    ? { seq: e.seq, t: e.t, kind: e.kind }
    : { seq: e.seq, t: e.t, kind: e.kind, actor: e.actor };
}

/** Builds a violation, leaving out fields that are undefined (so it prints cleanly). */
export function violation(
  invariant: string,
  message: string,
  e?: TraceEvent,
  expected?: unknown,
  actual?: unknown,
): Violation {
  const v: Violation = { invariant, message };
  if (expected !== undefined) v.expected = expected;
  if (actual !== undefined) v.actual = actual;
  if (e !== undefined) v.event = at(e);
  return v;
}

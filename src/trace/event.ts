/**
 * One thing that happened in a run. `seq` is the total order, `t` the virtual
 * time in ms since the start of the run, `actor` the component that emitted it
 * (a task, a breaker, a service), `data` plain JSON-able details.
 */
export interface TraceEvent {
  readonly seq: number;
  readonly t: number;
  readonly kind: string;
  readonly actor?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * Where components write events. Resilience primitives and services take an
 * optional sink; inside `simulate` it is the run's trace.
 */
export interface TraceSink {
  emit(kind: string, actor?: string, data?: Record<string, unknown>): void;
}

/** A sink that drops everything (the default outside a simulation). */
export const nullSink: TraceSink = { emit() {} };

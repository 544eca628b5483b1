import type { TraceEvent } from '../trace/event.js';
import { hasCode } from './faultline-error.js';
import { SimulationError } from './simulation-error.js';

/** A task still pending when the simulation deadlocked, with its last trace events. */
export interface PendingTask {
  readonly name: string;
  readonly lastEvents: readonly TraceEvent[];
}

/**
 * The body (or a spawned task) is waiting, no timer is scheduled and nothing
 * real is in flight: nothing can ever wake it. Typical causes: a promise that
 * never resolves, or real I/O that escaped the simulation.
 */
export class SimulationDeadlockError extends SimulationError {
  readonly pending: readonly PendingTask[];
  readonly time: number;

  constructor(message: string, seed: string | number, pending: readonly PendingTask[], time: number) {
    super('DEADLOCK', message, seed);
    this.pending = pending;
    this.time = time;
  }

  static override is(value: unknown): value is SimulationDeadlockError {
    return hasCode(value, 'DEADLOCK');
  }
}

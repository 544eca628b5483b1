import type { TraceEvent } from '../trace/event.js';
import { hasCode } from './faultline-error.js';
import { SimulationError } from './simulation-error.js';

/**
 * Two runs with the same seed produced different traces. `first` and `second`
 * are the first divergent event of each run (undefined where a run ended early).
 */
export class NonDeterminismError extends SimulationError {
  readonly index: number;
  readonly first: TraceEvent | undefined;
  readonly second: TraceEvent | undefined;

  constructor(
    message: string,
    seed: string | number,
    index: number,
    first?: TraceEvent,
    second?: TraceEvent,
  ) {
    super('NON_DETERMINISM', message, seed);
    this.index = index;
    this.first = first;
    this.second = second;
  }

  static override is(value: unknown): value is NonDeterminismError {
    return hasCode(value, 'NON_DETERMINISM');
  }
}

import { hasCode } from './faultline-error.js';
import { SimulationError } from './simulation-error.js';

/**
 * What `result.unwrap()` throws when the run has no value: the body failed (its
 * error is the `cause`) or `until` stopped the run first. The message starts with
 * the body's error, then the seed and the command that replays the run.
 */
export class RunFailedError extends SimulationError {
  readonly outcome: 'failed' | 'stopped';
  readonly rerun: string;

  constructor(
    outcome: 'failed' | 'stopped',
    message: string,
    seed: string | number,
    rerun: string,
    cause?: unknown,
  ) {
    super('RUN_FAILED', message, seed, outcome === 'failed' ? { cause } : undefined);
    this.outcome = outcome;
    this.rerun = rerun;
  }

  static override is(value: unknown): value is RunFailedError {
    return hasCode(value, 'RUN_FAILED');
  }
}

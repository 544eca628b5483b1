import { FaultlineError, hasCode } from './faultline-error.js';

/**
 * A kernel failure: the simulation itself could not run to a verdict (nested
 * run, limit exceeded, bad options). The message carries the seed and the
 * command that reruns it.
 */
export class SimulationError extends FaultlineError {
  readonly seed: string | number | undefined;

  constructor(code: string, message: string, seed?: string | number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.seed = seed;
  }

  static override is(value: unknown): value is SimulationError {
    return FaultlineError.is(value) && 'seed' in value;
  }
}

/** A run exceeded `maxSteps`, `maxTime` or `wallTimeout`. */
export class SimulationLimitError extends SimulationError {
  readonly limit: 'maxSteps' | 'maxTime' | 'wallTimeout';

  constructor(limit: 'maxSteps' | 'maxTime' | 'wallTimeout', message: string, seed?: string | number) {
    super('LIMIT', message, seed);
    this.limit = limit;
  }

  static override is(value: unknown): value is SimulationLimitError {
    return hasCode(value, 'LIMIT');
  }
}

import { FaultlineError, hasCode } from './faultline-error.js';

/**
 * A bulkhead refused a call: every slot was busy and the queue was full.
 *
 * @example
 * ```ts
 * if (BulkheadRejectedError.is(error)) console.log(error.limit, error.queue)
 * ```
 */
export class BulkheadRejectedError extends FaultlineError {
  /** Name of the bulkhead. */
  readonly source: string;
  /** Concurrent executions allowed. */
  readonly limit: number;
  /** Queue capacity. */
  readonly queue: number;

  constructor(source = 'bulkhead', limit = 0, queue = 0) {
    super('BULKHEAD_REJECTED', `bulkhead "${source}" is full (${limit} running, queue of ${queue} full)`);
    this.source = source;
    this.limit = limit;
    this.queue = queue;
  }

  static override is(value: unknown): value is BulkheadRejectedError {
    return hasCode(value, 'BULKHEAD_REJECTED');
  }
}

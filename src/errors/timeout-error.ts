import { FaultlineError, hasCode } from './faultline-error.js';

/**
 * A call ran past its timeout. `afterMs` is the timeout that expired.
 *
 * @example
 * ```ts
 * try { await timeout('2s').execute(call) } catch (e) { if (TimeoutError.is(e)) console.log(e.afterMs) }
 * ```
 */
export class TimeoutError extends FaultlineError {
  /** Name of the timeout policy that fired. */
  readonly source: string;
  /** The timeout in milliseconds. */
  readonly afterMs: number;

  constructor(source = 'timeout', afterMs = 0, options?: { cause?: unknown }) {
    super('TIMEOUT', `"${source}" timed out after ${afterMs}ms`, options);
    this.source = source;
    this.afterMs = afterMs;
  }

  static override is(value: unknown): value is TimeoutError {
    return hasCode(value, 'TIMEOUT');
  }
}

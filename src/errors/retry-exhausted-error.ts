import { FaultlineError, hasCode } from './faultline-error.js';

/** Why a retry policy stopped retrying a retryable error. */
export type RetryGiveUpReason = 'max-retries' | 'retry-after-too-long' | 'budget-exhausted';

/**
 * A retry policy gave up on an error it would otherwise retry. `cause` is the
 * last error, `errors` every error seen, oldest first.
 *
 * @example
 * ```ts
 * try { await policy.execute(call) } catch (e) { if (RetryExhaustedError.is(e)) console.log(e.attempts, e.cause) }
 * ```
 */
export class RetryExhaustedError extends FaultlineError {
  /** Name of the retry policy. */
  readonly source: string;
  /** Attempts made, the first call included. */
  readonly attempts: number;
  /** Every error seen, oldest first (the last one is also `cause`). */
  readonly errors: readonly unknown[];
  readonly reason: RetryGiveUpReason;

  constructor(source: string, attempts: number, errors: readonly unknown[], reason: RetryGiveUpReason) {
    const last = errors[errors.length - 1];
    const lastText = last instanceof Error ? last.message : String(last);
    super(
      'RETRY_EXHAUSTED',
      `retry "${source}" gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} (${reason}): ${lastText}`,
      { cause: last },
    );
    this.source = source;
    this.attempts = attempts;
    this.errors = errors;
    this.reason = reason;
  }

  static override is(value: unknown): value is RetryExhaustedError {
    return hasCode(value, 'RETRY_EXHAUSTED');
  }
}

import { FaultlineError, hasCode } from './faultline-error.js';

/**
 * A rate limiter refused a call. `retryAfterMs`, when known, is how long until a
 * permit is available; retry policies wait at least that long.
 *
 * @example
 * ```ts
 * if (RateLimitedError.is(error)) await clock.sleep(error.retryAfterMs ?? 1000)
 * ```
 */
export class RateLimitedError extends FaultlineError {
  /** Name of the rate limiter. */
  readonly source: string;
  /** Milliseconds until a permit is available, when known. */
  readonly retryAfterMs: number | undefined;

  constructor(source = 'rate-limiter', retryAfterMs?: number) {
    const when = retryAfterMs !== undefined ? `; retry after ${retryAfterMs}ms` : '';
    super('RATE_LIMITED', `rate limiter "${source}" refused the call${when}`);
    this.source = source;
    this.retryAfterMs = retryAfterMs;
  }

  static override is(value: unknown): value is RateLimitedError {
    return hasCode(value, 'RATE_LIMITED');
  }
}

/**
 * `faultline/adapters`: observers that turn anyone's breaker and retry into
 * faultline trace events, so the invariant catalog judges them.
 */
export { BreakerRecorder, type DeclaredBreakerConfig } from './breaker-recorder.js';
export { type BreakerLike, type InstrumentedBreaker, instrumentBreaker } from './instrument-breaker.js';
export { type DeclaredRetryConfig, instrumentRetry, type RetryLike } from './instrument-retry.js';

/** Every error class faultline throws, each with a brand-based `is()` guard. */
export * from './broken-circuit-error.js';
export * from './bulkhead-rejected-error.js';
export { ConfigError } from './config-error.js';
export { FaultlineError } from './faultline-error.js';
export * from './network-refused-error.js';
export * from './no-healthy-backend-error.js';
export * from './rate-limited-error.js';
export * from './retry-exhausted-error.js';
export * from './timeout-error.js';
export * from './unmatched-request-error.js';

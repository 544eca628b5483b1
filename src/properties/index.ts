/**
 * `faultline/property`: property-based resilience testing on fast-check:
 * `checkResilience`, the arbitraries (`arb`), the invariant catalog
 * (`invariants`) and fast-check itself re-exported as `fc`, so one import is
 * enough. The graveyard reader/writer is exported for the CLI.
 */
export * as fc from 'fast-check';
export * from './arbitraries/index.js';
export type { CheckProgress } from './check-progress.js';
export {
  type CheckResilienceOptions,
  type CheckResilienceReport,
  checkResilience,
  ResilienceCheckError,
  type ValuesOf,
} from './check-resilience.js';
export {
  FAILURES_DIR,
  type PropertyFailure,
  readPropertyFailure,
  savedFailures,
  writePropertyFailure,
} from './failure-store.js';
export { at, type Invariant, type Violation, violation } from './invariant.js';
export * from './invariants/index.js';
export { describeViolation, traceExcerpt } from './report.js';

/**
 * `faultline/property`: property-based resilience testing on fast-check. The
 * invariant catalog (`invariants`), and fast-check itself re-exported as `fc`
 * so one import is enough.
 */
export * as fc from 'fast-check';
export { at, type Invariant, type Violation, violation } from './invariant.js';
export * from './invariants/index.js';

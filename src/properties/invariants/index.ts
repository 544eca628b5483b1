/*
 * The invariant catalog. One invariant per file; adding one is one file and one
 * line in `invariants` below (plus one in `DEFAULTS` when it should run by
 * default, i.e. it needs no options and judges only what a trace declares).
 */
import type { Invariant } from '../invariant.js';
import { accounting } from './accounting.js';
import { breaker } from './breaker.js';
import { breakerRecloses } from './breaker-recloses.js';
import { bulkhead } from './bulkhead.js';
import { define } from './define.js';
import { hedge } from './hedge.js';
import { loadBalancer } from './load-balancer.js';
import { noLeaks } from './no-leaks.js';
import { noRetryStorm } from './no-retry-storm.js';
import { noSilentFailures } from './no-silent-failures.js';
import { rateLimiter } from './rate-limiter.js';
import { retry } from './retry.js';
import { timeout } from './timeout.js';

export type { BreakerInvariantOptions, DeclaredBreaker } from './breaker.js';
export type { BreakerReclosesOptions } from './breaker-recloses.js';
export type { CheckResult } from './define.js';
export type { NoRetryStormOptions } from './no-retry-storm.js';
export type { DeclaredRetry, RetryInvariantOptions } from './retry.js';

/** Invariants run when a user names none: each judges only the primitives its trace declares. */
const DEFAULTS: ReadonlyArray<() => Invariant> = [
  () => breaker(),
  () => retry(),
  () => timeout(),
  () => accounting(),
  () => breakerRecloses(),
  () => bulkhead(),
  () => rateLimiter(),
  () => loadBalancer(),
  () => hedge(),
];

/**
 * The invariant catalog: checks over a run's trace.
 *
 * @example
 * ```ts
 * await checkResilience({ arbitraries, scenario, invariants: [invariants.breaker(), invariants.retry()] });
 * invariants.all(); // the default set
 * ```
 */
export const invariants = {
  breaker,
  retry,
  timeout,
  accounting,
  bulkhead,
  rateLimiter,
  loadBalancer,
  hedge,
  liveness: { breakerRecloses },
  noRetryStorm,
  noLeaks,
  noSilentFailures,
  define,
  /** The default set (used when none are given): breaker, retry, timeout, accounting, liveness.breakerRecloses, bulkhead, rateLimiter, loadBalancer, hedge. */
  all(): Invariant[] {
    return DEFAULTS.map((make) => make());
  },
};

/*
 * `arb`: fast-check arbitraries for resilience properties. One builder per
 * file; each shrinks toward simple values.
 */
import { breakerConfig, latency, retryConfig, workload } from './configs.js';
import { faultPlan } from './fault-plan.js';
import { bulkheadConfig, hedgeConfig, loadBalancerConfig, rateLimiterConfig } from './pattern-configs.js';

export type {
  BreakerConfig,
  JitterName,
  RetryConfig,
  RetryConfigOptions,
  WorkloadOptions,
  WorkloadSpec,
} from './configs.js';
export type { FaultPlanOptions } from './fault-plan.js';
export { type FaultKind, type FaultSpec, isFaultSpec, reviveFaults } from './fault-spec.js';
export type {
  BulkheadConfig,
  HedgeConfig,
  LoadBalancerConfig,
  LoadBalancerConfigOptions,
  RateLimiterConfig,
} from './pattern-configs.js';

/**
 * Arbitraries for `checkResilience({ arbitraries })`.
 *
 * @example
 * ```ts
 * arbitraries: { config: arb.breakerConfig(), faults: arb.faultPlan({ horizon: '1m' }), load: arb.workload() }
 * ```
 */
export const arb = {
  breakerConfig,
  retryConfig,
  faultPlan,
  workload,
  latency,
  bulkheadConfig,
  rateLimiterConfig,
  loadBalancerConfig,
  hedgeConfig,
};

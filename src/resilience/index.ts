/** Resilience primitives (breaker, retry, timeout, bulkhead, rate limiter, load balancer, fallback, hedge, cache, pipeline), their building blocks and `agentflow.toml` config. */
export * from '../errors/index.js';
export * from './agentflow-config.js';
export {
  type AgentflowConfig,
  type BreakerConfig,
  type ErrorRoutingConfig,
  LOAD_BALANCING_STRATEGIES,
  type LoadBalancerConfig,
  type LoadBalancingStrategy,
  type McpConfig,
  type McpProductionConfig,
  type ProviderConfig,
  type RetryConfig,
} from './agentflow-schema.js';
export * from './backoff.js';
export { type BackendLoad, performanceScore } from './balancing-strategy.js';
export type { BreakerWindowOptions } from './breaker-window.js';
export * from './bulkhead.js';
export * from './cache.js';
export {
  CircuitBreaker,
  type CircuitBreakerEvents,
  type CircuitBreakerMetrics,
  type CircuitBreakerOptions,
  type CircuitState,
  circuitBreaker,
  type IsolationHandle,
} from './circuit-breaker.js';
export * from './classify-error.js';
export {
  breakerEnabled,
  breakerOptionsFromConfig,
  retryEnabled,
  retryOptionsFromConfig,
} from './config-converters.js';
export * from './fallback.js';
export type { HealthCheckOptions, HealthCheckSettings } from './health-checker.js';
export * from './hedge.js';
export type { Unsubscribe } from './listeners.js';
export * from './load-balancer.js';
export * from './load-balancer-config.js';
export type { PolicyOptions } from './options.js';
export type { OutlierEjectionOptions, OutlierEjectionSettings } from './outlier-ejection.js';
export * from './pipeline.js';
export * from './policies-from-config.js';
export * from './rate-limiter.js';
export { type RetryEvents, type RetryOptions, RetryPolicy, retry } from './retry.js';
export { type HeadersLike, parseRetryAfter } from './retry-after.js';
export { RetryBudget, type RetryBudgetOptions, retryBudget } from './retry-budget.js';
export { type TimeoutMode, type TimeoutOptions, TimeoutPolicy, timeout } from './timeout.js';

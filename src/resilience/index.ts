/** Resilience primitives (breaker, retry, timeout), their building blocks and `agentflow.toml` config. */
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
export type { BreakerWindowOptions } from './breaker-window.js';
export * from './circuit-breaker.js';
export * from './classify-error.js';
export * from './config-converters.js';
export type { Unsubscribe } from './listeners.js';
export type { PolicyOptions } from './options.js';
export * from './retry.js';
export * from './retry-after.js';
export * from './retry-budget.js';
export * from './timeout.js';

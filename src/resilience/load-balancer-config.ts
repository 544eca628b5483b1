/*
 * From a parsed `agentflow.toml` to load balancer options: `[load_balancer]`
 * (strategy, health-check interval and thresholds) over `[mcp.production]`
 * (`load_balancing`, `circuit_breaker_enabled`), and the per-backend breaker's
 * options from `[mcp.circuit_breaker]` overlaid on `[error_routing.circuit_breaker]`.
 */
import type { AgentflowConfig, BreakerConfig, LoadBalancingStrategy } from './agentflow-schema.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { breakerOptionsFromTable } from './config-converters.js';

/** The load balancer options an `agentflow.toml` describes (backends and the check function come from code). */
export interface LoadBalancerConfigOptions {
  strategy: LoadBalancingStrategy;
  /** From `[load_balancer]` when `health_check_interval` is set; add `check` to use it. */
  healthCheck?: { interval: number; unhealthyThreshold?: number; healthyThreshold?: number };
  /** Per-backend breaker options, when per-backend breakers are on (`backendBreakersEnabled`). */
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'clock' | 'trace'>;
}

/**
 * Load balancer options from `[load_balancer]` and `[mcp.production]`: the strategy
 * (`[load_balancer] strategy`, else `[mcp.production] load_balancing`, else
 * `'round_robin'`), health-check settings, and per-backend breaker options when
 * `[mcp.production] circuit_breaker_enabled` is on.
 *
 * @example
 * ```ts
 * const lb = loadBalancer({ ...loadBalancerOptionsFromConfig(cfg), backends, healthCheck: undefined });
 * ```
 */
export function loadBalancerOptionsFromConfig(cfg: AgentflowConfig): LoadBalancerConfigOptions {
  const table = cfg.loadBalancer;
  const options: LoadBalancerConfigOptions = {
    strategy: table?.strategy ?? cfg.mcp?.production?.loadBalancing ?? 'round_robin',
  };
  if (table?.healthCheckInterval !== undefined) {
    const healthCheck: NonNullable<LoadBalancerConfigOptions['healthCheck']> = {
      interval: table.healthCheckInterval,
    };
    if (table.unhealthyThreshold !== undefined) healthCheck.unhealthyThreshold = table.unhealthyThreshold;
    if (table.healthyThreshold !== undefined) healthCheck.healthyThreshold = table.healthyThreshold;
    options.healthCheck = healthCheck;
  }
  if (backendBreakersEnabled(cfg)) {
    options.breaker = breakerOptionsFromTable(
      overlay(cfg.errorRouting?.circuitBreaker, cfg.mcp?.circuitBreaker),
    );
  }
  return options;
}

/** Whether load balancing is on: `[mcp.production] enabled`, else true. */
export function loadBalancerEnabled(cfg: AgentflowConfig): boolean {
  return cfg.mcp?.production?.enabled ?? true;
}

/**
 * Whether each backend gets its own breaker: `[mcp.production] circuit_breaker_enabled`,
 * else `[mcp.circuit_breaker] enabled`, else false.
 */
export function backendBreakersEnabled(cfg: AgentflowConfig): boolean {
  return cfg.mcp?.production?.circuitBreakerEnabled ?? cfg.mcp?.circuitBreaker?.enabled ?? false;
}

function overlay(
  base: BreakerConfig | undefined,
  over: BreakerConfig | undefined,
): BreakerConfig | undefined {
  if (over === undefined) return base;
  if (base === undefined) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) out[k] = v;
  return out as BreakerConfig;
}

/*
 * The shape of the `agentflow.toml` tables faultline understands: the typed
 * result (camelCase, same units as the TOML) and the schema the parser walks
 * (TOML key → property, value rule, aliases).
 */

/** Load-balancing strategies (`[mcp.production] load_balancing`, `[load_balancer] strategy`). */
export type LoadBalancingStrategy =
  | 'round_robin'
  | 'weighted'
  | 'least_connections'
  | 'random'
  | 'performance_based';

export const LOAD_BALANCING_STRATEGIES: readonly LoadBalancingStrategy[] = [
  'round_robin',
  'weighted',
  'least_connections',
  'random',
  'performance_based',
];

/** `[error_routing.circuit_breaker]`, `[providers.<name>.circuit_breaker]`, `[mcp.circuit_breaker]`. */
export interface BreakerConfig {
  enabled?: boolean;
  failureThreshold?: number;
  successThreshold?: number;
  /** Milliseconds open before half-open (`timeout_ms`, alias `reset_timeout_ms`). */
  timeoutMs?: number;
  /** Half-open probes at once (`max_concurrent_calls`, alias `half_open_max_calls`). */
  maxConcurrentCalls?: number;
}

/** `[error_routing.retry]`, `[providers.<name>.retry]`, `[mcp.retry]`. */
export interface RetryConfig {
  enabled?: boolean;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  backoffFactor?: number;
  enableJitter?: boolean;
  retryOnTimeout?: boolean;
  retryOnRateLimit?: boolean;
  retryOnServerError?: boolean;
  retryOnNetworkError?: boolean;
}

/** `[error_routing]`. */
export interface ErrorRoutingConfig {
  enabled?: boolean;
  maxRetries?: number;
  retryDelayMs?: number;
  enableCircuitBreaker?: boolean;
  circuitBreaker?: BreakerConfig;
  retry?: RetryConfig;
}

/** `[mcp.production]`. */
export interface McpProductionConfig {
  enabled?: boolean;
  loadBalancing?: LoadBalancingStrategy;
  circuitBreakerEnabled?: boolean;
  metricsEnabled?: boolean;
}

/** `[mcp]` (only its resilience tables). */
export interface McpConfig {
  production?: McpProductionConfig;
  retry?: RetryConfig;
  circuitBreaker?: BreakerConfig;
}

/** `[providers.<name>]` (only its resilience tables). */
export interface ProviderConfig {
  circuitBreaker?: BreakerConfig;
  retry?: RetryConfig;
}

/** `[load_balancer]`. */
export interface LoadBalancerConfig {
  strategy?: LoadBalancingStrategy;
  /** Milliseconds (a number is ms; a string is a duration such as `"30s"`). */
  healthCheckInterval?: number;
  unhealthyThreshold?: number;
  healthyThreshold?: number;
}

/** A parsed `agentflow.toml`. Tables absent from the file are absent here; `providers` is always an object. */
export interface AgentflowConfig {
  errorRouting?: ErrorRoutingConfig;
  mcp?: McpConfig;
  providers: Record<string, ProviderConfig>;
  loadBalancer?: LoadBalancerConfig;
  /** One message per key or table faultline does not understand (with its line); never silently dropped. */
  warnings: string[];
}

/** A value rule. */
export type FieldRule =
  | { type: 'boolean' }
  | { type: 'integer'; min: number }
  | { type: 'number'; min: number }
  | { type: 'ms' }
  | { type: 'duration' }
  | { type: 'enum'; values: readonly string[] };

export interface FieldSpec {
  prop: string;
  rule: FieldRule;
  /** The canonical TOML key when this key is an alias of it. */
  aliasOf?: string;
}

export interface TableSpec {
  fields: Record<string, FieldSpec>;
  tables?: Record<string, { prop: string; spec: TableSpec }>;
  /** A table of named sub-tables (`[providers.<name>]`). */
  map?: TableSpec;
  /** Cross-field check run after the fields: returns [key, allowed] of a violation. */
  check?: (values: Record<string, unknown>) => [string, string] | undefined;
}

const bool: FieldRule = { type: 'boolean' };
const ms: FieldRule = { type: 'ms' };
const positiveInt: FieldRule = { type: 'integer', min: 1 };
const count: FieldRule = { type: 'integer', min: 0 };

export const BREAKER_SPEC: TableSpec = {
  fields: {
    enabled: { prop: 'enabled', rule: bool },
    failure_threshold: { prop: 'failureThreshold', rule: positiveInt },
    success_threshold: { prop: 'successThreshold', rule: positiveInt },
    timeout_ms: { prop: 'timeoutMs', rule: ms },
    reset_timeout_ms: { prop: 'timeoutMs', rule: ms, aliasOf: 'timeout_ms' },
    max_concurrent_calls: { prop: 'maxConcurrentCalls', rule: positiveInt },
    half_open_max_calls: { prop: 'maxConcurrentCalls', rule: positiveInt, aliasOf: 'max_concurrent_calls' },
  },
};

export const RETRY_SPEC: TableSpec = {
  fields: {
    enabled: { prop: 'enabled', rule: bool },
    max_retries: { prop: 'maxRetries', rule: count },
    base_delay_ms: { prop: 'baseDelayMs', rule: ms },
    max_delay_ms: { prop: 'maxDelayMs', rule: ms },
    backoff_factor: { prop: 'backoffFactor', rule: { type: 'number', min: 1 } },
    enable_jitter: { prop: 'enableJitter', rule: bool },
    retry_on_timeout: { prop: 'retryOnTimeout', rule: bool },
    retry_on_rate_limit: { prop: 'retryOnRateLimit', rule: bool },
    retry_on_server_error: { prop: 'retryOnServerError', rule: bool },
    retry_on_network_error: { prop: 'retryOnNetworkError', rule: bool },
  },
  check: (v) => {
    const base = v.baseDelayMs as number | undefined;
    const max = v.maxDelayMs as number | undefined;
    if (base !== undefined && max !== undefined && base > max) {
      return ['base_delay_ms', `a number of milliseconds <= max_delay_ms (${max})`];
    }
    return undefined;
  },
};

const strategy: FieldRule = { type: 'enum', values: LOAD_BALANCING_STRATEGIES };

export const AGENTFLOW_SPEC: TableSpec = {
  fields: {},
  tables: {
    error_routing: {
      prop: 'errorRouting',
      spec: {
        fields: {
          enabled: { prop: 'enabled', rule: bool },
          max_retries: { prop: 'maxRetries', rule: count },
          retry_delay_ms: { prop: 'retryDelayMs', rule: ms },
          enable_circuit_breaker: { prop: 'enableCircuitBreaker', rule: bool },
        },
        tables: {
          circuit_breaker: { prop: 'circuitBreaker', spec: BREAKER_SPEC },
          retry: { prop: 'retry', spec: RETRY_SPEC },
        },
      },
    },
    mcp: {
      prop: 'mcp',
      spec: {
        fields: {},
        tables: {
          production: {
            prop: 'production',
            spec: {
              fields: {
                enabled: { prop: 'enabled', rule: bool },
                load_balancing: { prop: 'loadBalancing', rule: strategy },
                circuit_breaker_enabled: { prop: 'circuitBreakerEnabled', rule: bool },
                metrics_enabled: { prop: 'metricsEnabled', rule: bool },
              },
            },
          },
          retry: { prop: 'retry', spec: RETRY_SPEC },
          circuit_breaker: { prop: 'circuitBreaker', spec: BREAKER_SPEC },
        },
      },
    },
    providers: {
      prop: 'providers',
      spec: {
        fields: {},
        map: {
          fields: {},
          tables: {
            circuit_breaker: { prop: 'circuitBreaker', spec: BREAKER_SPEC },
            retry: { prop: 'retry', spec: RETRY_SPEC },
          },
        },
      },
    },
    load_balancer: {
      prop: 'loadBalancer',
      spec: {
        fields: {
          strategy: { prop: 'strategy', rule: strategy },
          health_check_interval: { prop: 'healthCheckInterval', rule: { type: 'duration' } },
          unhealthy_threshold: { prop: 'unhealthyThreshold', rule: positiveInt },
          healthy_threshold: { prop: 'healthyThreshold', rule: positiveInt },
        },
      },
    },
  },
};

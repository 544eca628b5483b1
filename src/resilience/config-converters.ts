/*
 * From a parsed `agentflow.toml` to factory options: which table wins (a
 * provider's table over `[error_routing]`'s), and how TOML keys map onto
 * `circuitBreaker` / `retry` options (`timeout_ms` → `timeout`,
 * `enable_jitter = true` → `jitter: 'full'`, `retry_on_*` → `shouldRetry`).
 */
import type { AgentflowConfig, BreakerConfig, RetryConfig } from './agentflow-schema.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import type { Classification } from './classify-error.js';
import type { RetryOptions } from './retry.js';

/**
 * Breaker options from one breaker table. Only keys present in the table are set,
 * so the factory's defaults fill the rest.
 *
 * @example
 * ```ts
 * circuitBreaker(breakerOptionsFromTable(cfg.mcp?.circuitBreaker));
 * ```
 */
export function breakerOptionsFromTable(table: BreakerConfig | undefined): CircuitBreakerOptions {
  const options: CircuitBreakerOptions = {};
  if (table === undefined) return options;
  if (table.failureThreshold !== undefined) options.failureThreshold = table.failureThreshold;
  if (table.successThreshold !== undefined) options.successThreshold = table.successThreshold;
  if (table.timeoutMs !== undefined) options.timeout = table.timeoutMs;
  if (table.maxConcurrentCalls !== undefined) options.maxConcurrentCalls = table.maxConcurrentCalls;
  return options;
}

/**
 * Breaker options for `provider` (or the global ones): `[error_routing.circuit_breaker]`
 * overlaid key by key with `[providers.<provider>.circuit_breaker]`.
 *
 * @example
 * ```ts
 * const breaker = circuitBreaker({ ...breakerOptionsFromConfig(cfg, 'openai'), name: 'openai' });
 * ```
 */
export function breakerOptionsFromConfig(cfg: AgentflowConfig, provider?: string): CircuitBreakerOptions {
  return breakerOptionsFromTable(
    merge(
      cfg.errorRouting?.circuitBreaker,
      provider === undefined ? undefined : cfg.providers[provider]?.circuitBreaker,
    ),
  );
}

/**
 * Whether the config asks for a breaker for `provider` (or globally): the provider
 * table's `enabled`, else `[error_routing] enable_circuit_breaker`, else the global
 * table's `enabled`, else true (docs/semantics.md, "Which flags turn what on").
 */
export function breakerEnabled(cfg: AgentflowConfig, provider?: string): boolean {
  const own = provider === undefined ? undefined : cfg.providers[provider]?.circuitBreaker?.enabled;
  return own ?? cfg.errorRouting?.enableCircuitBreaker ?? cfg.errorRouting?.circuitBreaker?.enabled ?? true;
}

/**
 * Retry options from one retry table. `enable_jitter` true/false → `jitter`
 * `'full'`/`'none'`; a `retry_on_*` flag set to false makes that kind of error
 * permanent (timeouts; rate limits incl. 529; 5xx server errors; network errors).
 *
 * @example
 * ```ts
 * retry(retryOptionsFromTable(cfg.mcp?.retry));
 * ```
 */
export function retryOptionsFromTable(table: RetryConfig | undefined): RetryOptions {
  const options: RetryOptions = {};
  if (table === undefined) return options;
  if (table.maxRetries !== undefined) options.maxRetries = table.maxRetries;
  if (table.baseDelayMs !== undefined) options.baseDelay = table.baseDelayMs;
  if (table.maxDelayMs !== undefined) options.maxDelay = table.maxDelayMs;
  if (table.backoffFactor !== undefined) options.backoffFactor = table.backoffFactor;
  if (table.enableJitter !== undefined) options.jitter = table.enableJitter ? 'full' : 'none';
  const blocked = {
    timeout: table.retryOnTimeout === false,
    rateLimit: table.retryOnRateLimit === false,
    serverError: table.retryOnServerError === false,
    network: table.retryOnNetworkError === false,
  };
  if (blocked.timeout || blocked.rateLimit || blocked.serverError || blocked.network) {
    options.shouldRetry = (_error: unknown, _attempt: number, c: Classification) => {
      if (c.kind === 'permanent') return false;
      if (blocked.rateLimit && c.kind === 'rate-limited') return false;
      if (blocked.timeout && c.reason === 'timeout') return false;
      if (blocked.serverError && c.reason === 'server-error') return false;
      if (blocked.network && c.reason === 'network') return false;
      return true;
    };
  }
  return options;
}

/**
 * Retry options for `provider` (or the global ones), layered lowest first:
 * `[error_routing] max_retries` / `retry_delay_ms` (as `maxRetries` / `baseDelay`),
 * then `[error_routing.retry]`, then `[providers.<provider>.retry]`.
 *
 * @example
 * ```ts
 * const policy = retry({ ...retryOptionsFromConfig(cfg, 'openai'), name: 'openai' });
 * ```
 */
export function retryOptionsFromConfig(cfg: AgentflowConfig, provider?: string): RetryOptions {
  const routing = cfg.errorRouting;
  const legacy: RetryConfig = {};
  if (routing?.maxRetries !== undefined) legacy.maxRetries = routing.maxRetries;
  if (routing?.retryDelayMs !== undefined) legacy.baseDelayMs = routing.retryDelayMs;
  const own = provider === undefined ? undefined : cfg.providers[provider]?.retry;
  return retryOptionsFromTable(merge(merge(legacy, routing?.retry), own));
}

/**
 * Whether retries are on for `provider` (or globally): the provider table's `enabled`,
 * else `[error_routing] enabled`, else `[error_routing.retry] enabled`, else true
 * (the precedence rule of docs/semantics.md, "Which flags turn what on").
 */
export function retryEnabled(cfg: AgentflowConfig, provider?: string): boolean {
  const own = provider === undefined ? undefined : cfg.providers[provider]?.retry?.enabled;
  return own ?? cfg.errorRouting?.enabled ?? cfg.errorRouting?.retry?.enabled ?? true;
}

function merge<T extends object>(base: T | undefined, over: T | undefined): T | undefined {
  if (over === undefined) return base;
  if (base === undefined) return over;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) if (v !== undefined) out[k] = v;
  return out as T;
}

/*
 * Arbitraries for the pattern primitives' options: bulkhead, rate limiter,
 * load balancer, hedge. Each value is plain JSON (durations in ms) that the
 * primitive accepts as it is, with no key it would reject, and each shrinks
 * toward the simplest configuration: one slot and no queue, one token per
 * second, round-robin with no health checks, one attempt.
 */
import fc from 'fast-check';
import { ConfigError } from '../../errors/config-error.js';
import { checkOptions } from '../../options/validate.js';
import { LOAD_BALANCING_STRATEGIES, type LoadBalancingStrategy } from '../../resilience/agentflow-schema.js';
import { type BreakerConfig, breakerConfig } from './configs.js';

/** A bulkhead configuration (`sim.bulkhead(name, config)`). */
export interface BulkheadConfig {
  maxConcurrent: number;
  maxQueue: number;
}

/**
 * Bulkhead configurations: 1–4 slots, 0–4 queue places.
 *
 * @example
 * ```ts
 * arbitraries: { pool: arb.bulkheadConfig() } // sim.bulkhead('db', values.pool)
 * ```
 */
export function bulkheadConfig(): fc.Arbitrary<BulkheadConfig> {
  return fc.record({
    maxConcurrent: fc.integer({ min: 1, max: 4 }),
    maxQueue: fc.integer({ min: 0, max: 4 }),
  });
}

/** A rate limiter configuration (`sim.rateLimiter(name, config)`): `rate` per second, `maxWait` in ms. */
export interface RateLimiterConfig {
  rate: number;
  burst: number;
  mode: 'reject' | 'wait';
  /** Only in `'wait'` mode. */
  maxWait?: number;
}

/**
 * Rate limiter configurations: 1–50 per second, burst 1–6, `'reject'` or `'wait'`
 * mode, and in `'wait'` mode sometimes a `maxWait` of 0–5 s.
 *
 * @example
 * ```ts
 * arbitraries: { limit: arb.rateLimiterConfig() } // sim.rateLimiter('llm', values.limit)
 * ```
 */
export function rateLimiterConfig(): fc.Arbitrary<RateLimiterConfig> {
  return fc
    .record({
      rate: fc.integer({ min: 1, max: 50 }),
      burst: fc.integer({ min: 1, max: 6 }),
      mode: fc.constantFrom<'reject' | 'wait'>('reject', 'wait'),
      maxWait: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
    })
    .map(({ maxWait, ...r }) => (r.mode === 'wait' && maxWait !== undefined ? { ...r, maxWait } : r));
}

/** A hedge configuration (`sim.hedge(name, config)`), `delay` in ms. */
export interface HedgeConfig {
  delay: number;
  maxAttempts: number;
}

/**
 * Hedge configurations: a delay of 1 ms – 2 s, 1–4 attempts.
 *
 * @example
 * ```ts
 * arbitraries: { hedging: arb.hedgeConfig() } // sim.hedge('search', values.hedging)
 * ```
 */
export function hedgeConfig(): fc.Arbitrary<HedgeConfig> {
  return fc.record({
    delay: fc.integer({ min: 1, max: 2000 }),
    maxAttempts: fc.integer({ min: 1, max: 4 }),
  });
}

/**
 * A load balancer configuration, durations in ms. `healthCheck` has no `check`
 * (a function is not data): the scenario adds its own.
 */
export interface LoadBalancerConfig {
  strategy: LoadBalancingStrategy;
  /** `weighted` only: a weight of 1–5 per backend. */
  weights?: Record<string, number>;
  maxFailover: number;
  healthCheck?: { interval: number; unhealthyThreshold: number; healthyThreshold: number };
  outlierEjection?: { consecutiveFailures: number; baseEjectionTime: number; maxEjectionPercent: number };
  breaker?: BreakerConfig;
}

export interface LoadBalancerConfigOptions {
  /** The backends' names (the keys of `weights`). Required, at least one. */
  backends: readonly string[];
  /** Strategies to draw from, shrinking toward the first. Default: all five, `round_robin` first. */
  strategies?: readonly LoadBalancingStrategy[];
  /** Whether to draw per-backend breakers (`breaker`). Default true. */
  breaker?: boolean;
}

/**
 * Load balancer configurations over the named backends: a strategy (weights
 * 1–5 for `weighted`), 0–2 failovers, and each sometimes: health checks every
 * 200 ms – 5 s with thresholds 1–3, outlier ejection after 1–5 failures for
 * 100 ms – 10 s with a 0–100 % cap, per-backend breakers (`arb.breakerConfig()`).
 *
 * @example
 * ```ts
 * arbitraries: { lb: arb.loadBalancerConfig({ backends: ['a', 'b', 'c'] }) }
 * // sim.loadBalancer('lb', { ...values.lb, backends, healthCheck: values.lb.healthCheck && { ...values.lb.healthCheck, check } })
 * ```
 */
export function loadBalancerConfig(options: LoadBalancerConfigOptions): fc.Arbitrary<LoadBalancerConfig> {
  const o = checkOptions('arb.loadBalancerConfig', options, ['backends', 'strategies', 'breaker'], true);
  const names = o.backends;
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    names.some((n) => typeof n !== 'string') ||
    new Set(names).size !== names.length
  ) {
    throw new ConfigError('arb.loadBalancerConfig({ backends })', names, 'a non-empty list of unique names');
  }
  const strategies = o.strategies ?? LOAD_BALANCING_STRATEGIES;
  if (
    !Array.isArray(strategies) ||
    strategies.length === 0 ||
    strategies.some((s) => !LOAD_BALANCING_STRATEGIES.includes(s))
  ) {
    throw new ConfigError(
      'arb.loadBalancerConfig({ strategies })',
      o.strategies,
      `a non-empty list of ${LOAD_BALANCING_STRATEGIES.join(', ')}`,
    );
  }
  if (o.breaker !== undefined && typeof o.breaker !== 'boolean') {
    throw new ConfigError('arb.loadBalancerConfig({ breaker })', o.breaker, 'true or false');
  }
  const weights = fc.tuple(...names.map(() => fc.integer({ min: 1, max: 5 })));
  const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  return fc
    .record({
      strategy: fc.constantFrom(...strategies),
      weights,
      maxFailover: fc.integer({ min: 0, max: 2 }),
      healthCheck: optional(
        fc.record({
          interval: fc.integer({ min: 200, max: 5000 }),
          unhealthyThreshold: fc.integer({ min: 1, max: 3 }),
          healthyThreshold: fc.integer({ min: 1, max: 3 }),
        }),
      ),
      outlierEjection: optional(
        fc.record({
          consecutiveFailures: fc.integer({ min: 1, max: 5 }),
          baseEjectionTime: fc.integer({ min: 100, max: 10_000 }),
          maxEjectionPercent: fc.integer({ min: 0, max: 100 }),
        }),
      ),
      breaker: o.breaker === false ? fc.constant(undefined) : optional(breakerConfig()),
    })
    .map(({ weights: w, healthCheck, outlierEjection, breaker, ...r }) => {
      const config: LoadBalancerConfig = { ...r };
      if (r.strategy === 'weighted') config.weights = Object.fromEntries(names.map((n, i) => [n, w[i]!]));
      if (healthCheck) config.healthCheck = healthCheck;
      if (outlierEjection) config.outlierEjection = outlierEjection;
      if (breaker) config.breaker = breaker;
      return config;
    });
}

/*
 * Arbitraries for resilience configurations, workloads and latencies. Each
 * shrinks toward the simplest value: small thresholds, short timeouts, no
 * jitter, few requests.
 */
import fc from 'fast-check';
import { checkOptions, integerAtLeast } from '../../options/validate.js';

/** A circuit breaker configuration (`sim.breaker(name, config)`), durations in ms. */
export interface BreakerConfig {
  failureThreshold: number;
  successThreshold: number;
  timeout: number;
  maxConcurrentCalls: number;
}

/**
 * Breaker configurations: thresholds 1–6 and 1–4, `timeout` 100 ms – 10 s, 1–3 probes.
 *
 * @example
 * ```ts
 * arbitraries: { config: arb.breakerConfig() } // sim.breaker('llm', values.config)
 * ```
 */
export function breakerConfig(): fc.Arbitrary<BreakerConfig> {
  return fc.record({
    failureThreshold: fc.integer({ min: 1, max: 6 }),
    successThreshold: fc.integer({ min: 1, max: 4 }),
    timeout: fc.integer({ min: 100, max: 10_000 }),
    maxConcurrentCalls: fc.integer({ min: 1, max: 3 }),
  });
}

export type JitterName = 'none' | 'full' | 'equal' | 'decorrelated' | 'proportional';

/** A retry configuration (`sim.retry(name, config)`), durations in ms. */
export interface RetryConfig {
  maxRetries: number;
  baseDelay: number;
  maxDelay: number;
  backoffFactor: number;
  jitter: JitterName;
}

export interface RetryConfigOptions {
  /** Largest `maxRetries` generated. Default 6. */
  maxRetriesUpTo?: number;
}

/**
 * Retry configurations: 0–6 retries, base 1 ms – 1 s, cap ≥ base (up to 30 s more),
 * factor 1–3, any jitter mode (shrinking toward `none`).
 *
 * @example
 * ```ts
 * arbitraries: { retry: arb.retryConfig({ maxRetriesUpTo: 40 }) }
 * ```
 */
export function retryConfig(options?: RetryConfigOptions): fc.Arbitrary<RetryConfig> {
  const o = checkOptions('arb.retryConfig', options, ['maxRetriesUpTo']);
  const most = integerAtLeast('arb.retryConfig({ maxRetriesUpTo })', o.maxRetriesUpTo ?? 6, 0);
  return fc
    .record({
      maxRetries: fc.integer({ min: 0, max: most }),
      baseDelay: fc.integer({ min: 1, max: 1000 }),
      extra: fc.integer({ min: 0, max: 30_000 }),
      backoffFactor: fc.constantFrom(1, 1.5, 2, 3),
      jitter: fc.constantFrom<JitterName>('none', 'full', 'equal', 'decorrelated', 'proportional'),
    })
    .map(({ extra, ...r }) => ({ ...r, maxDelay: r.baseDelay + extra }));
}

/** A closed workload: `agents` concurrent callers, each making `requests` calls `gapMs` apart. */
export interface WorkloadSpec {
  agents: number;
  requests: number;
  gapMs: number;
}

export interface WorkloadOptions {
  /** Most agents. Default 4. */
  agentsUpTo?: number;
  /** Most requests per agent. Default 40. */
  requestsUpTo?: number;
}

/**
 * Workloads: 1–4 agents × 1–40 requests, 0–2 s apart (the maxima are options).
 *
 * @example
 * ```ts
 * arbitraries: { load: arb.workload({ agentsUpTo: 8 }) }
 * for (let a = 0; a < values.load.agents; a++) sim.spawn(`agent-${a}`, () => callLoop(values.load));
 * ```
 */
export function workload(options?: WorkloadOptions): fc.Arbitrary<WorkloadSpec> {
  const o = checkOptions('arb.workload', options, ['agentsUpTo', 'requestsUpTo']);
  const agents = integerAtLeast('arb.workload({ agentsUpTo })', o.agentsUpTo ?? 4, 1);
  const requests = integerAtLeast('arb.workload({ requestsUpTo })', o.requestsUpTo ?? 40, 1);
  return fc.record({
    agents: fc.integer({ min: 1, max: agents }),
    requests: fc.integer({ min: 1, max: requests }),
    gapMs: fc.integer({ min: 0, max: 2000 }),
  });
}

/**
 * A service latency in ms (0 – 2 s), for `sim.service({ latency })`.
 *
 * @example
 * ```ts
 * arbitraries: { latency: arb.latency() }
 * ```
 */
export function latency(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 2000 });
}

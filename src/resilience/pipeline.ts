/*
 * `pipeline(...policies)`: one policy made of several, applied outermost first:
 * `pipeline(retry, breaker, timeout).execute(fn)` runs
 * `retry(breaker(timeout(fn)))`. The innermost function gets the signal of the
 * innermost policy and a context with what the layers chose: the retry attempt,
 * the hedge attempt, the load balancer's backend.
 */
import { ConfigError } from '../errors/config-error.js';
import { NEVER_ABORTED } from '../time/abort.js';
import { HedgePolicy } from './hedge.js';
import { type Backend, LoadBalancer } from './load-balancer.js';
import { RetryPolicy } from './retry.js';

/** Anything with `execute(fn(signal), signal?)`: breaker, timeout, bulkhead, rate limiter, or your own. */
export interface Policy {
  execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T>;
}

/** What the layers of a pipeline chose for the current call. */
export interface PipelineContext {
  /** The retry attempt (from 1) when a retry policy is in the pipeline. */
  readonly attempt?: number;
  /** The hedge attempt (from 0) when a hedge policy is in the pipeline. */
  readonly hedgeAttempt?: number;
  /** The backend chosen when a load balancer is in the pipeline. */
  readonly backend?: Backend;
}

/** What `pipeline` accepts: any policy, including retry, hedge, load balancers and other pipelines. */
export type PipelinePolicy = Policy | RetryPolicy | HedgePolicy | LoadBalancer<any> | Pipeline;

type Inner<T> = (signal: AbortSignal, context: PipelineContext) => T | PromiseLike<T>;

const EMPTY: PipelineContext = Object.freeze({});

/** Several policies applied outermost first. Create it with `pipeline(...policies)`. */
export class Pipeline {
  readonly policies: readonly PipelinePolicy[];

  constructor(policies: readonly PipelinePolicy[]) {
    policies.forEach((p, i) => {
      if (typeof p !== 'object' || p === null || typeof (p as Policy).execute !== 'function') {
        throw new ConfigError(`pipeline(policies[${i}])`, p, 'a policy with an execute(fn, signal) method');
      }
    });
    this.policies = [...policies];
  }

  /**
   * Runs `fn(signal, context)` through every policy, the first one outermost.
   *
   * @example
   * ```ts
   * const policy = pipeline(retry({ maxRetries: 2 }), circuitBreaker(), timeout('10s'));
   * await policy.execute((signal) => fetch(url, { signal }));
   * ```
   */
  execute<T>(fn: Inner<T>, signal?: AbortSignal): Promise<T> {
    return this.layer(0, fn, EMPTY, signal);
  }

  private layer<T>(k: number, fn: Inner<T>, context: PipelineContext, signal?: AbortSignal): Promise<T> {
    const p = this.policies[k];
    if (p === undefined) {
      try {
        return Promise.resolve(fn(signal ?? NEVER_ABORTED, context));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const next = k + 1;
    if (p instanceof RetryPolicy) {
      return p.execute((attempt, s) => this.layer(next, fn, { ...context, attempt }, s), signal);
    }
    if (p instanceof HedgePolicy) {
      return p.execute((hedgeAttempt, s) => this.layer(next, fn, { ...context, hedgeAttempt }, s), signal);
    }
    if (p instanceof LoadBalancer) {
      return p.execute((backend: Backend, s) => this.layer(next, fn, { ...context, backend }, s), signal);
    }
    if (p instanceof Pipeline) {
      return p.execute((s, inner) => this.layer(next, fn, { ...context, ...inner }, s), signal);
    }
    return (p as Policy).execute((s) => this.layer(next, fn, context, s), signal);
  }
}

/**
 * Composes policies, outermost first. Order matters: `pipeline(retry, breaker)`
 * retries around the breaker (a `BrokenCircuitError` is not retried unless the
 * retry says `retryBrokenCircuit: true`); `pipeline(breaker, retry)` counts one
 * breaker call per whole retry sequence.
 *
 * @example
 * ```ts
 * const policy = pipeline(retry({ maxRetries: 3 }), circuitBreaker({ failureThreshold: 5 }), timeout('10s'));
 * const text = await policy.execute((signal) => llm.complete(prompt, { signal }));
 * ```
 */
export function pipeline(...policies: PipelinePolicy[]): Pipeline {
  return new Pipeline(policies);
}

/*
 * `instrumentRetry`: wraps any retry with `execute(fn, signal?)` so that its
 * attempts are traced as faultline retry events: each call of `fn` is an
 * attempt, each failure is classified with `classifyError` (the rule the retry
 * invariants judge by), and the caller's abort is traced when it happens.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, finiteAtLeast, integerAtLeast, numberInRange, oneOf } from '../options/validate.js';
import { classifyError } from '../resilience/classify-error.js';
import { errorData } from '../resilience/options.js';
import { retryFailedData } from '../resilience/retry.js';
import type { Sim } from '../simulators/sim.js';
import { type Duration, duration } from '../time/duration.js';

/** The configuration a retry claims. */
export interface DeclaredRetryConfig {
  maxRetries: number;
  baseDelay: Duration;
  maxDelay: Duration;
  backoffFactor: number;
  jitter: 'none' | 'full' | 'equal' | 'decorrelated' | 'proportional';
  /** Half-width of `proportional` jitter. Default 0.1. */
  jitterRatio?: number;
}

/** What `instrumentRetry` needs of a retry. */
export interface RetryLike {
  execute<T>(fn: (...args: any[]) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

const KEYS = ['maxRetries', 'baseDelay', 'maxDelay', 'backoffFactor', 'jitter', 'jitterRatio'];

/**
 * Records a hand-written retry's attempts in the run's trace, with the
 * configuration it claims, so `invariants.retry()` can judge it.
 *
 * @example
 * ```ts
 * const retry = instrumentRetry(sim, 'mine', new MyRetry(), {
 *   maxRetries: 3, baseDelay: 100, maxDelay: 2000, backoffFactor: 2, jitter: 'full',
 * });
 * await retry.execute(() => llm.call(prompt), signal);
 * ```
 */
export function instrumentRetry(
  sim: Pick<Sim, 'trace' | 'now' | 'epochMs'>,
  name: string,
  retry: RetryLike,
  declared: DeclaredRetryConfig,
): RetryLike {
  if (typeof name !== 'string' || name === '')
    throw new ConfigError('instrumentRetry(name)', name, 'a non-empty string');
  const d = checkOptions('instrumentRetry', declared, KEYS, true);
  const path = (k: string) => `instrumentRetry({ ${k} })`;
  for (const k of ['maxRetries', 'baseDelay', 'maxDelay', 'backoffFactor', 'jitter'] as const) {
    if (d[k] === undefined) throw new ConfigError(path(k), undefined, 'the value the retry claims');
  }
  const trace = sim.trace;
  trace.emit('retry.declared', name, {
    maxRetries: integerAtLeast(path('maxRetries'), d.maxRetries, 0),
    baseDelay: duration(d.baseDelay!, path('baseDelay')),
    maxDelay: duration(d.maxDelay!, path('maxDelay')),
    backoffFactor: finiteAtLeast(path('backoffFactor'), d.backoffFactor, 1),
    jitter: oneOf(path('jitter'), d.jitter, [
      'none',
      'full',
      'equal',
      'decorrelated',
      'proportional',
    ] as const),
    jitterRatio: numberInRange(path('jitterRatio'), d.jitterRatio ?? 0.1, 0, 1),
  });
  let calls = 0;
  return {
    async execute<T>(fn: (...args: any[]) => Promise<T>, signal?: AbortSignal): Promise<T> {
      const call = ++calls;
      let attempt = 0;
      let lastClass: string | undefined;
      const onAbort = () => trace.emit('retry.abort', name, { call });
      signal?.addEventListener('abort', onAbort, { once: true });
      const wrapped = async (...args: any[]): Promise<T> => {
        attempt++;
        trace.emit('retry.attempt', name, { call, attempt });
        try {
          return await fn(...args);
        } catch (error) {
          const c = classifyError(error, sim.epochMs + sim.now());
          lastClass = c.kind;
          trace.emit('retry.failed', name, retryFailedData(call, attempt, c, error));
          throw error;
        }
      };
      try {
        const value = await retry.execute(wrapped, signal);
        trace.emit('retry.success', name, { call, attempts: attempt });
        return value;
      } catch (error) {
        const reason = signal?.aborted ? 'aborted' : lastClass === 'permanent' ? 'permanent' : 'max-retries';
        trace.emit('retry.gave-up', name, { call, attempts: attempt, reason, error: errorData(error) });
        throw error;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}

/*
 * The retry policy (the seed's `[error_routing.retry]`): at most
 * `maxRetries + 1` attempts, exponential backoff with jitter and a cap, error
 * classification (transient / rate-limited / permanent), Retry-After honoured
 * up to `maxRetryAfter`, an optional shared retry budget, and aborts that end
 * the wait at once.
 */
import { ConfigError } from '../errors/config-error.js';
import { hasCode } from '../errors/faultline-error.js';
import { RetryExhaustedError, type RetryGiveUpReason } from '../errors/retry-exhausted-error.js';
import {
  booleanOption,
  checkOptions,
  durationMs,
  finiteAtLeast,
  functionOption,
  integerAtLeast,
  numberInRange,
  oneOf,
  optionKeys,
} from '../options/validate.js';
import { mathRandom } from '../random/math-random.js';
import type { Random } from '../random/random.js';
import { abortReason, NEVER_ABORTED } from '../time/abort.js';
import type { Clock } from '../time/clock.js';
import type { Duration } from '../time/duration.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { DraftData, TraceEventMap } from '../trace/event-map.js';
import { type BackoffPolicy, JITTER_MODES, type JitterMode, jitteredDelay } from './backoff.js';
import { type Classification, classifyError, type ErrorClass } from './classify-error.js';
import { Listeners, type Unsubscribe } from './listeners.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';

export interface RetryOptions extends PolicyOptions {
  /** Retries after the first attempt: at most `maxRetries + 1` attempts. Default 3. */
  maxRetries?: number;
  /** Delay before the first retry. Default `'1s'`. */
  baseDelay?: Duration;
  /** Cap on every backoff delay (applied after jitter too). Default `'30s'`. */
  maxDelay?: Duration;
  /** Growth per retry, ≥ 1. Default 2. */
  backoffFactor?: number;
  /** Jitter mode. Default `'full'` (the seed's `enable_jitter = true`). */
  jitter?: JitterMode;
  /** Half-width of `proportional` jitter, in [0, 1]. Default 0.1. */
  jitterRatio?: number;
  /**
   * Longest server-requested wait (Retry-After) the policy accepts. A longer request
   * gives up at once (`RetryExhaustedError`, reason `retry-after-too-long`): waiting
   * less than the server asked is pointless. Default: the larger of `maxDelay` and 60 s.
   */
  maxRetryAfter?: Duration;
  /**
   * Replaces the built-in `classifyError`. Return `undefined` to fall back to it.
   * A bare class string is accepted (`'permanent'`).
   */
  classify?: (error: unknown, attempt: number) => ErrorClass | Classification | undefined;
  /**
   * Final say on whether to retry, given the classification: `true` retries even a
   * permanent error, `false` never retries. Called only while retries remain.
   */
  shouldRetry?: (error: unknown, attempt: number, classification: Classification) => boolean;
  /** Retry `BrokenCircuitError`s (from a breaker inside) as transient. Default false: permanent. */
  retryBrokenCircuit?: boolean;
  /** A retry budget (token bucket), shared by passing the same `RetryBudget` to several policies. */
  budget?: RetryBudget | RetryBudgetOptions;
}

/** Every key of `RetryOptions` (unknown keys are a `ConfigError`). */
export const RETRY_KEYS = optionKeys<RetryOptions>()([
  ...POLICY_KEYS,
  'maxRetries',
  'baseDelay',
  'maxDelay',
  'backoffFactor',
  'jitter',
  'jitterRatio',
  'maxRetryAfter',
  'classify',
  'shouldRetry',
  'retryBrokenCircuit',
  'budget',
]);

/** Event payloads for `policy.on(...)`. */
export interface RetryEvents extends Record<string, unknown> {
  /** A retry was scheduled: `attempt` is the attempt about to be made after `delay` ms. */
  retry: { attempt: number; delay: number; reason: string; error: unknown };
  success: { attempts: number };
  giveUp: { attempts: number; reason: RetryGiveUpReason | 'permanent' | 'aborted'; error: unknown };
}

/**
 * A retry policy bound to a clock and a random stream. Create it with `retry(options)`.
 * Attempts are numbered from 1 (the first call); `fn` receives the attempt number.
 */
export class RetryPolicy {
  readonly name: string;
  readonly maxRetries: number;
  readonly backoff: BackoffPolicy;
  readonly maxRetryAfterMs: number;
  readonly budget: RetryBudget | undefined;

  private readonly clock: Clock;
  private readonly random: Random;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  private readonly classify: RetryOptions['classify'];
  private readonly shouldRetry: RetryOptions['shouldRetry'];
  private readonly retryBrokenCircuit: boolean;
  private readonly listeners = new Listeners<RetryEvents>();
  /** Executions so far: the `call` number on this policy's trace events. */
  private calls = 0;

  constructor(raw?: RetryOptions) {
    const options = checkOptions('retry', raw, RETRY_KEYS);
    this.name = policyName('retry', options.name, 'retry');
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? mathRandom;
    this.trace = options.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.maxRetries = integerAtLeast('maxRetries', options.maxRetries ?? 3, 0);
    const baseDelayMs = durationMs('baseDelay', options.baseDelay, 1000);
    const maxDelayMs = durationMs('maxDelay', options.maxDelay, 30_000);
    if (baseDelayMs > maxDelayMs) {
      throw new ConfigError('baseDelay', options.baseDelay, `a duration <= maxDelay (${maxDelayMs}ms)`);
    }
    this.backoff = {
      baseDelayMs,
      maxDelayMs,
      backoffFactor: finiteAtLeast('backoffFactor', options.backoffFactor ?? 2, 1),
      jitter: oneOf('jitter', options.jitter ?? 'full', JITTER_MODES),
      jitterRatio: numberInRange('jitterRatio', options.jitterRatio ?? 0.1, 0, 1),
    };
    this.maxRetryAfterMs = durationMs('maxRetryAfter', options.maxRetryAfter, Math.max(maxDelayMs, 60_000));
    this.classify = functionOption('classify', options.classify);
    this.shouldRetry = functionOption('shouldRetry', options.shouldRetry);
    this.retryBrokenCircuit = booleanOption('retryBrokenCircuit', options.retryBrokenCircuit, false);
    const budget = options.budget;
    this.budget = budget === undefined || budget instanceof RetryBudget ? budget : new RetryBudget(budget);
    if (this.tracing) this.trace.emit('retry.declared', this.name, this.declaration());
  }

  /** The normalized configuration, as traced in `retry.declared` (durations in ms). */
  declaration(): TraceEventMap['retry.declared'] {
    const b = this.backoff;
    return {
      maxRetries: this.maxRetries,
      baseDelay: b.baseDelayMs,
      maxDelay: b.maxDelayMs,
      backoffFactor: b.backoffFactor,
      jitter: b.jitter,
      jitterRatio: b.jitterRatio,
      maxRetryAfter: this.maxRetryAfterMs,
      classify: this.classify === undefined && this.shouldRetry === undefined ? 'default' : 'custom',
    };
  }

  /**
   * Runs `fn(attempt, signal)` until it succeeds, fails permanently (rethrown as is),
   * or retrying stops (`RetryExhaustedError` with every error seen, the last as
   * `cause`). When `signal` aborts, the wait ends at once, no further attempt is
   * made, and the promise rejects with the signal's reason.
   *
   * @example
   * ```ts
   * const answer = await policy.execute((attempt, signal) => llm.complete(prompt, { signal }));
   * ```
   */
  async execute<T>(
    fn: (attempt: number, signal: AbortSignal) => T | PromiseLike<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) throw abortReason(signal);
    if (!this.tracing) return this.run(fn, signal, 0);
    const call = ++this.calls;
    if (signal === undefined) return this.run(fn, signal, call);
    // The moment the caller aborts is traced, so "no attempt after abort" can be judged from the trace.
    const onAbort = () => this.trace.emit('retry.abort', this.name, { call });
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.run(fn, signal, call);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async run<T>(
    fn: (attempt: number, signal: AbortSignal) => T | PromiseLike<T>,
    signal: AbortSignal | undefined,
    call: number,
  ): Promise<T> {
    if (this.tracing) this.trace.emit('retry.attempt', this.name, { call, attempt: 1 });
    let value: T;
    try {
      value = await fn(1, signal ?? NEVER_ABORTED);
    } catch (error) {
      return this.retryAfter(fn, signal, error, call);
    }
    if (this.budget !== undefined) this.budget.release(this.budget.successRefund);
    if (this.tracing) this.trace.emit('retry.success', this.name, { call, attempts: 1 });
    if (this.listeners.count > 0) this.emit('success', { attempts: 1 });
    return value;
  }

  /**
   * Subscribes to `retry`, `success` or `giveUp`; returns the unsubscribe function.
   *
   * @example
   * ```ts
   * policy.on('retry', ({ attempt, delay }) => log(`attempt ${attempt} in ${delay}ms`));
   * ```
   */
  on<K extends keyof RetryEvents>(event: K, listener: (data: RetryEvents[K]) => void): Unsubscribe {
    return this.listeners.on(event, listener);
  }

  /** The classification this policy applies to `error` (custom classifier, options, then `classifyError`). */
  classifyFor(error: unknown, attempt: number): Classification {
    let c: Classification | undefined;
    if (this.classify !== undefined) {
      const custom = this.classify(error, attempt);
      c = typeof custom === 'string' ? { kind: custom, reason: 'unknown' } : custom;
    }
    c ??= classifyError(error, this.clock.now());
    if (this.retryBrokenCircuit && hasCode(error, 'BROKEN_CIRCUIT'))
      c = { kind: 'transient', reason: 'broken-circuit' };
    return c;
  }

  private async retryAfter<T>(
    fn: (attempt: number, signal: AbortSignal) => T | PromiseLike<T>,
    signal: AbortSignal | undefined,
    firstError: unknown,
    call: number,
  ): Promise<T> {
    const errors: unknown[] = [firstError];
    let error = firstError;
    let attempt = 1;
    let previousDelay: number | undefined;
    let cost = 0;
    for (;;) {
      if (signal?.aborted) {
        if (this.tracing)
          this.trace.emit('retry.failed', this.name, { call, attempt, error: errorData(error) });
        this.gaveUp(call, attempt, 'aborted', error);
        throw abortReason(signal);
      }
      let c = this.classifyFor(error, attempt);
      if (this.shouldRetry !== undefined && attempt <= this.maxRetries) {
        const again = this.shouldRetry(error, attempt, c);
        if (!again) c = { ...c, kind: 'permanent' };
        else if (c.kind === 'permanent') c = { ...c, kind: 'transient' };
      }
      if (this.tracing) this.traceFailure(call, attempt, c, error);
      if (c.kind === 'permanent') {
        this.gaveUp(call, attempt, 'permanent', error);
        throw error;
      }
      if (attempt > this.maxRetries) throw this.exhausted(call, attempt, errors, 'max-retries');
      const retryAfter = c.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > this.maxRetryAfterMs) {
        throw this.exhausted(call, attempt, errors, 'retry-after-too-long');
      }
      if (this.budget !== undefined) {
        cost = c.reason === 'timeout' ? this.budget.timeoutRetryCost : this.budget.retryCost;
        if (!this.budget.tryAcquire(cost)) throw this.exhausted(call, attempt, errors, 'budget-exhausted');
      }
      const backoff = jitteredDelay(attempt, this.backoff, this.random, previousDelay);
      previousDelay = backoff;
      const delay = retryAfter !== undefined && retryAfter > backoff ? retryAfter : backoff;
      if (this.tracing) {
        const data: DraftData<'retry.scheduled'> = {
          call,
          attempt: attempt + 1,
          delay,
          backoff,
          reason: c.reason,
        };
        if (c.status !== undefined) data.status = c.status;
        if (retryAfter !== undefined) data.retryAfter = retryAfter;
        this.trace.emit('retry.scheduled', this.name, data);
      }
      if (this.listeners.count > 0)
        this.emit('retry', { attempt: attempt + 1, delay, reason: c.reason, error });
      try {
        await this.clock.sleep(delay, signal);
      } catch (abort) {
        this.gaveUp(call, attempt, 'aborted', error);
        throw abort;
      }
      attempt++;
      if (this.tracing) this.trace.emit('retry.attempt', this.name, { call, attempt });
      try {
        const value = await fn(attempt, signal ?? NEVER_ABORTED);
        if (this.budget !== undefined) this.budget.release(cost);
        if (this.tracing) this.trace.emit('retry.success', this.name, { call, attempts: attempt });
        if (this.listeners.count > 0) this.emit('success', { attempts: attempt });
        return value;
      } catch (next) {
        errors.push(next);
        error = next;
      }
    }
  }

  /** Traces a failed attempt with the class that decides whether it is retried. */
  private traceFailure(call: number, attempt: number, c: Classification, error: unknown): void {
    this.trace.emit('retry.failed', this.name, retryFailedData(call, attempt, c, error));
  }

  private exhausted(
    call: number,
    attempts: number,
    errors: unknown[],
    reason: RetryGiveUpReason,
  ): RetryExhaustedError {
    this.gaveUp(call, attempts, reason, errors[errors.length - 1]);
    return new RetryExhaustedError(this.name, attempts, errors, reason);
  }

  private gaveUp(
    call: number,
    attempts: number,
    reason: RetryEvents['giveUp']['reason'],
    error: unknown,
  ): void {
    if (this.tracing)
      this.trace.emit('retry.gave-up', this.name, { call, attempts, reason, error: errorData(error) });
    if (this.listeners.count > 0) this.emit('giveUp', { attempts, reason, error });
  }

  private emit<K extends keyof RetryEvents>(event: K, data: RetryEvents[K]): void {
    this.listeners.emit(event, data, (error) => {
      if (this.tracing)
        this.trace.emit('retry.listener-error', this.name, { event: String(event), error: errorData(error) });
    });
  }
}

/**
 * Creates a retry policy. Defaults follow the seed's reference config: 3 retries,
 * base 1 s, cap 30 s, factor 2, full jitter.
 *
 * @example
 * ```ts
 * const policy = retry({ maxRetries: 3, baseDelay: '1s', maxDelay: '30s', backoffFactor: 2, jitter: 'full' });
 * await policy.execute(() => breaker.execute(() => llm.call({ prompt })));
 * ```
 */
export function retry(options?: RetryOptions): RetryPolicy {
  return new RetryPolicy(options);
}

/** The `retry.failed` event's data for a failed attempt (shared with `instrumentRetry`). */
export function retryFailedData(
  call: number,
  attempt: number,
  c: Classification,
  error: unknown,
): DraftData<'retry.failed'> {
  const data: DraftData<'retry.failed'> = {
    call,
    attempt,
    class: c.kind,
    reason: c.reason,
    error: errorData(error),
  };
  if (c.status !== undefined) data.status = c.status;
  if (c.retryAfterMs !== undefined) data.retryAfter = c.retryAfterMs;
  return data;
}

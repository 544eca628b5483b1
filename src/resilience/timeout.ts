/*
 * The timeout policy: hands the callee an AbortSignal that aborts at the
 * deadline (a clock timer set when the call starts). Aggressive mode rejects
 * with `TimeoutError` at exactly start + duration; cooperative mode aborts the
 * signal and waits for the callee to settle.
 */
import { TimeoutError } from '../errors/timeout-error.js';
import { checkOptions, oneOf, optionKeys } from '../options/validate.js';
import { abortReason } from '../time/abort.js';
import type { Clock } from '../time/clock.js';
import { type Duration, duration as parseDuration } from '../time/duration.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import { POLICY_KEYS, type PolicyOptions, policyName } from './options.js';

export type TimeoutMode = 'aggressive' | 'cooperative';

export interface TimeoutOptions extends Omit<PolicyOptions, 'random'> {
  /**
   * `'aggressive'` (default): the caller's promise rejects at the deadline whatever
   * the callee does. `'cooperative'`: the signal aborts at the deadline and the
   * caller waits for the callee to settle.
   */
  mode?: TimeoutMode;
  /** Accepted for uniformity; a timeout draws no random numbers. */
  random?: PolicyOptions['random'];
}

/** Every key of `TimeoutOptions` (unknown keys are a `ConfigError`). */
export const TIMEOUT_KEYS = optionKeys<TimeoutOptions>()([...POLICY_KEYS, 'mode']);

/**
 * A timeout bound to a clock. Create it with `timeout(duration, options)`.
 */
export class TimeoutPolicy {
  readonly name: string;
  readonly durationMs: number;
  readonly mode: TimeoutMode;
  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  /** Calls so far: the `call` number on this policy's trace events. */
  private calls = 0;

  constructor(duration: Duration, raw?: TimeoutOptions) {
    this.durationMs = parseDuration(duration, 'timeout(duration)');
    const options = checkOptions('timeout', raw, TIMEOUT_KEYS);
    this.name = policyName('timeout', options.name, 'timeout');
    this.mode = oneOf('mode', options.mode ?? 'aggressive', ['aggressive', 'cooperative'] as const);
    this.clock = options.clock ?? realClock;
    this.trace = options.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    if (this.tracing)
      this.trace.emit('timeout.declared', this.name, { timeout: this.durationMs, mode: this.mode });
  }

  /**
   * Runs `fn(signal)`; `signal` aborts at the deadline with a `TimeoutError` as its
   * reason, or when the caller's `signal` aborts (with that reason).
   * - aggressive: rejects with `TimeoutError` at exactly start + duration; a caller
   *   abort rejects at once with the abort reason.
   * - cooperative: waits for `fn` to settle; if the deadline passed first and `fn`
   *   then rejects, the result is `TimeoutError` (with `fn`'s error as `cause` unless
   *   `fn` rejected with the signal's own `TimeoutError`); if `fn` still resolves,
   *   its value is returned.
   *
   * @example
   * ```ts
   * const answer = await timeout('10s').execute((signal) => fetch(url, { signal }));
   * ```
   */
  execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const ms = this.durationMs;
    const aggressive = this.mode === 'aggressive';
    const controller = new AbortController();
    const call = ++this.calls;
    if (this.tracing) this.trace.emit('timeout.started', this.name, { call, timeout: ms });
    const promise = new Promise<T>((resolve, reject) => {
      let done = false;
      let timedOut: TimeoutError | undefined;
      const onOuterAbort = () => {
        const reason = abortReason(signal!);
        controller.abort(reason);
        if (aggressive && !done) {
          done = true;
          timer.cancel();
          reject(reason);
        }
      };
      const timer = this.clock.setTimer(ms, () => {
        timedOut = new TimeoutError(this.name, ms);
        if (this.tracing) this.trace.emit('timeout.timed-out', this.name, { call, after: ms });
        controller.abort(timedOut);
        if (aggressive && !done) {
          done = true;
          signal?.removeEventListener('abort', onOuterAbort);
          reject(timedOut);
        }
      });
      signal?.addEventListener('abort', onOuterAbort, { once: true });
      let result: T | PromiseLike<T>;
      try {
        result = fn(controller.signal);
      } catch (error) {
        result = Promise.reject(error);
      }
      Promise.resolve(result).then(
        (value) => {
          if (done) return;
          done = true;
          timer.cancel();
          signal?.removeEventListener('abort', onOuterAbort);
          resolve(value);
        },
        (error: unknown) => {
          if (done) return;
          done = true;
          timer.cancel();
          signal?.removeEventListener('abort', onOuterAbort);
          if (timedOut === undefined || error === timedOut) reject(error);
          else reject(new TimeoutError(this.name, ms, { cause: error }));
        },
      );
    });
    if (!this.tracing) return promise;
    // When the caller's promise settles, so "no caller waits past its timeout" can be judged.
    promise.then(
      () => this.trace.emit('timeout.end', this.name, { call, outcome: 'ok' }),
      (error: unknown) =>
        this.trace.emit('timeout.end', this.name, {
          call,
          outcome: TimeoutError.is(error) ? 'timeout' : 'error',
        }),
    );
    return promise;
  }
}

/**
 * Creates a timeout policy.
 *
 * @example
 * ```ts
 * const t = timeout('10s', { mode: 'cooperative' });
 * await t.execute((signal) => llm.complete(prompt, { signal }));
 * ```
 */
export function timeout(duration: Duration, options?: TimeoutOptions): TimeoutPolicy {
  return new TimeoutPolicy(duration, options);
}

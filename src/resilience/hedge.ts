/*
 * Hedging (Polly v8's hedging strategy, Envoy's hedged requests): attempt 0
 * starts at once; every `delay` without a result starts another attempt, up to
 * `maxAttempts`; a failed attempt starts the next one at once (as Polly does).
 * The first success wins and every other attempt's signal is aborted; the call
 * rejects only when every attempt failed (with the last error to arrive). With
 * a retry budget, each hedge (attempt ≥ 1) spends `retryCost` tokens and is not
 * started without them.
 */
import { checkOptions, integerAtLeast, optionPath } from '../options/validate.js';
import { abortReason } from '../time/abort.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { TracedError } from '../trace/event-map.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';

export interface HedgeOptions extends PolicyOptions {
  /** Time without a result before the next attempt starts. Required. */
  delay: Duration;
  /** Attempts in all, the first included (integer ≥ 1). Default 2. */
  maxAttempts?: number;
  /** A retry budget: each hedge spends `retryCost` tokens (shared with retry policies when the same instance). */
  budget?: RetryBudget | RetryBudgetOptions;
}

const KEYS = [...POLICY_KEYS, 'delay', 'maxAttempts', 'budget'];
const OWNER = 'hedge';

/** A hedging policy bound to a clock. Create it with `hedge(options)`. */
export class HedgePolicy {
  readonly name: string;
  readonly delayMs: number;
  readonly maxAttempts: number;
  readonly budget: RetryBudget | undefined;
  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  private calls = 0;

  constructor(options: HedgeOptions) {
    const o = checkOptions(OWNER, options, KEYS, true);
    this.name = policyName(OWNER, o.name, 'hedge');
    this.clock = o.clock ?? realClock;
    this.trace = o.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.delayMs = duration(o.delay as Duration, optionPath(OWNER, 'delay'));
    this.maxAttempts = integerAtLeast(optionPath(OWNER, 'maxAttempts'), o.maxAttempts ?? 2, 1);
    const budget = o.budget;
    this.budget = budget === undefined || budget instanceof RetryBudget ? budget : new RetryBudget(budget);
    if (this.tracing) {
      this.trace.emit('hedge.declared', this.name, {
        delay: this.delayMs,
        maxAttempts: this.maxAttempts,
        budget: this.budget !== undefined,
      });
    }
  }

  /**
   * Runs `fn(attempt, signal)` hedged (attempts numbered from 0). Resolves with the
   * first success and aborts the other attempts' signals; rejects when every
   * attempt failed. A caller abort aborts every attempt and rejects with its reason.
   *
   * @example
   * ```ts
   * const h = hedge({ delay: '300ms', maxAttempts: 3 });
   * const answer = await h.execute((attempt, signal) => replicas[attempt].call(q, { signal }));
   * ```
   */
  execute<T>(
    fn: (attempt: number, signal: AbortSignal) => T | PromiseLike<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const call = this.calls++;
    return new Promise<T>((resolve, reject) => {
      const controllers: AbortController[] = [];
      const settled: boolean[] = [];
      let started = 0;
      let failed = 0;
      let spent = 0;
      let done = false;
      let timer: TimerHandle | undefined;

      const finish = () => {
        done = true;
        timer?.cancel();
        timer = undefined;
        signal?.removeEventListener('abort', onAbort);
      };
      const abortOthers = (winner: number, reason: unknown) => {
        for (let k = 0; k < controllers.length; k++) {
          if (k === winner || settled[k]) continue;
          if (this.tracing) this.trace.emit('hedge.aborted', this.name, { call, attempt: k });
          controllers[k]!.abort(reason);
        }
      };
      const onAbort = () => {
        if (done) return;
        finish();
        const reason = abortReason(signal!);
        abortOthers(-1, reason);
        reject(reason);
      };
      const arm = () => {
        if (started >= this.maxAttempts) return;
        timer = this.clock.setTimer(this.delayMs, () => {
          timer = undefined;
          if (!done) start('delay');
        });
      };
      const start = (why: 'first' | 'delay' | 'failure'): boolean => {
        const attempt = started;
        if (attempt > 0 && this.budget !== undefined) {
          if (!this.budget.tryAcquire(this.budget.retryCost)) {
            if (this.tracing) this.trace.emit('hedge.budget-exhausted', this.name, { call, attempt });
            return false;
          }
          spent += this.budget.retryCost;
        }
        started++;
        const controller = new AbortController();
        controllers.push(controller);
        settled.push(false);
        if (this.tracing) this.trace.emit('hedge.attempt', this.name, { call, attempt, reason: why });
        timer?.cancel();
        timer = undefined;
        arm();
        let result: T | PromiseLike<T>;
        try {
          result = fn(attempt, controller.signal);
        } catch (error) {
          result = Promise.reject(error);
        }
        Promise.resolve(result).then(
          (value) => {
            settled[attempt] = true;
            if (done) {
              if (this.tracing)
                this.trace.emit('hedge.late', this.name, { call, attempt, outcome: 'success' });
              return;
            }
            finish();
            if (this.tracing)
              this.trace.emit('hedge.success', this.name, { call, attempt, attempts: started });
            if (this.budget !== undefined)
              this.budget.release(spent > 0 ? this.budget.retryCost : this.budget.successRefund);
            abortOthers(
              attempt,
              new DOMException(`hedge "${this.name}": attempt ${attempt} won`, 'AbortError'),
            );
            resolve(value);
          },
          (error: unknown) => {
            settled[attempt] = true;
            if (done) {
              if (this.tracing)
                this.trace.emit('hedge.late', this.name, { call, attempt, outcome: 'failure' });
              return;
            }
            failed++;
            if (this.tracing)
              this.trace.emit('hedge.failure', this.name, { call, attempt, error: errorData(error) });
            if (started < this.maxAttempts && start('failure')) return;
            if (failed < started) return; // others still running
            finish();
            if (this.tracing) this.trace.emit('hedge.exhausted', this.name, { call, attempts: started });
            reject(error);
          },
        );
        return true;
      };

      signal?.addEventListener('abort', onAbort, { once: true });
      start('first');
    });
  }
}

/**
 * Creates a hedging policy.
 *
 * @example
 * ```ts
 * const h = hedge({ delay: '500ms', maxAttempts: 2 });
 * const text = await h.execute((attempt, signal) => llm.complete(prompt, { signal }));
 * ```
 */
export function hedge(options: HedgeOptions): HedgePolicy {
  return new HedgePolicy(options);
}

declare module '../trace/event-map.js' {
  interface TraceEventMap {
    'hedge.declared': { readonly delay: number; readonly maxAttempts: number; readonly budget: boolean };
    'hedge.attempt': {
      readonly call: number;
      readonly attempt: number;
      readonly reason: 'first' | 'delay' | 'failure';
    };
    'hedge.success': { readonly call: number; readonly attempt: number; readonly attempts: number };
    'hedge.failure': { readonly call: number; readonly attempt: number; readonly error: TracedError };
    /** A losing attempt's signal was aborted. */
    'hedge.aborted': { readonly call: number; readonly attempt: number };
    /** An attempt settled after the call was decided. */
    'hedge.late': {
      readonly call: number;
      readonly attempt: number;
      readonly outcome: 'success' | 'failure';
    };
    'hedge.budget-exhausted': { readonly call: number; readonly attempt: number };
    'hedge.exhausted': { readonly call: number; readonly attempts: number };
  }
}

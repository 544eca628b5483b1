/*
 * The rate limiter: a token bucket that starts full with `burst` tokens and
 * refills continuously at `rate`. Kept as GCRA (a theoretical arrival time
 * `tat`) so that the arithmetic is exact for round intervals: a grant at time t
 * is allowed when `tat − t ≤ (burst − 1) · interval`, and moves `tat` to
 * `max(tat, t) + interval`. Over any interval of length T at most
 * `burst + rate · T` calls are granted. `'reject'` mode refuses at once with the
 * time until the next token; `'wait'` mode queues callers FIFO, each granted
 * when its token comes (or refused at once when that is beyond `maxWait`).
 */
import { ConfigError } from '../errors/config-error.js';
import { RateLimitedError } from '../errors/rate-limited-error.js';
import { checkOptions, integerAtLeast, oneOf, optionPath } from '../options/validate.js';
import { abortReason, NEVER_ABORTED } from '../time/abort.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';
import { type Rate, ratePerMs } from '../time/rate.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { DraftData, TracedError } from '../trace/event-map.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';

export type RateLimiterMode = 'reject' | 'wait';

export interface RateLimiterOptions extends PolicyOptions {
  /** Sustained rate: `'10/s'`, `'600/m'`, or a number per second. Required. */
  rate: Rate;
  /** Bucket size and starting tokens (integer ≥ 1). Default 1. */
  burst?: number;
  /** `'reject'` (default): no token → `RateLimitedError`. `'wait'`: wait FIFO for a token. */
  mode?: RateLimiterMode;
  /** `'wait'` mode: longest wait accepted; a caller who would wait longer is refused at once. Default: no limit. */
  maxWait?: Duration;
}

/** A point-in-time snapshot of a rate limiter. */
export interface RateLimiterMetrics {
  name: string;
  /** Tokens available now (fractional while refilling). */
  tokens: number;
  waiting: number;
  granted: number;
  rejected: number;
  abandoned: number;
}

const KEYS = [...POLICY_KEYS, 'rate', 'burst', 'mode', 'maxWait'];
/** Float slack on the grant test, far below any clock resolution. */
const EPSILON = 1e-6;

interface Waiter {
  readonly call: number;
  readonly queuedAt: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * A token-bucket rate limiter bound to a clock. Create it with `rateLimiter(options)`.
 */
export class RateLimiter {
  readonly name: string;
  /** Tokens per millisecond. */
  readonly ratePerMs: number;
  /** Milliseconds per token. */
  readonly intervalMs: number;
  readonly burst: number;
  readonly mode: RateLimiterMode;
  readonly maxWaitMs: number | undefined;
  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  private readonly tolerance: number;
  /** Theoretical arrival time of the next grant; starts so that the bucket is full. */
  private tat: number;
  private readonly waiters: Waiter[] = [];
  private timer: TimerHandle | undefined;
  private calls = 0;
  private granted = 0;
  private rejected = 0;
  private abandoned = 0;

  constructor(options: RateLimiterOptions) {
    const o = checkOptions('rateLimiter', options, KEYS, true);
    this.name = policyName('rateLimiter', o.name, 'rate-limiter');
    this.clock = o.clock ?? realClock;
    this.trace = o.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.ratePerMs = ratePerMs(o.rate as Rate, optionPath('rateLimiter', 'rate'));
    this.intervalMs = 1 / this.ratePerMs;
    this.burst = integerAtLeast(optionPath('rateLimiter', 'burst'), o.burst ?? 1, 1);
    this.mode = oneOf(optionPath('rateLimiter', 'mode'), o.mode ?? 'reject', ['reject', 'wait'] as const);
    if (o.maxWait !== undefined && this.mode !== 'wait') {
      throw new ConfigError(
        optionPath('rateLimiter', 'maxWait'),
        o.maxWait,
        "no maxWait unless mode is 'wait'",
      );
    }
    this.maxWaitMs =
      o.maxWait === undefined ? undefined : duration(o.maxWait, optionPath('rateLimiter', 'maxWait'));
    this.tolerance = (this.burst - 1) * this.intervalMs;
    this.tat = this.clock.now();
    if (this.tracing) {
      const data: DraftData<'rate-limiter.declared'> = {
        rate: this.ratePerMs * 1000,
        burst: this.burst,
        mode: this.mode,
      };
      if (this.maxWaitMs !== undefined) data.maxWait = this.maxWaitMs;
      this.trace.emit('rate-limiter.declared', this.name, data);
    }
  }

  /**
   * Takes a token: resolves at once if one is available; otherwise `'reject'`
   * mode rejects with `RateLimitedError` (`retryAfterMs` = time until the next
   * token) and `'wait'` mode resolves when this caller's token comes (FIFO).
   *
   * @example
   * ```ts
   * await limiter.acquire(signal);
   * ```
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const call = this.calls++;
    const now = this.clock.now();
    if (this.waiters.length === 0 && this.tryGrant(now, call, now)) return Promise.resolve();
    const wait = this.waitFor(now);
    if (this.mode === 'reject' || (this.maxWaitMs !== undefined && wait > this.maxWaitMs + EPSILON)) {
      this.rejected++;
      if (this.tracing) this.trace.emit('rate-limiter.rejected', this.name, { call, retryAfter: wait });
      return Promise.reject(new RateLimitedError(this.name, wait));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { call, queuedAt: now, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.waiters.indexOf(waiter);
          if (at < 0) return;
          this.waiters.splice(at, 1);
          this.abandoned++;
          if (this.tracing) {
            this.trace.emit('rate-limiter.abandoned', this.name, {
              call,
              error: errorData(abortReason(signal)),
            });
          }
          if (this.waiters.length === 0) {
            this.timer?.cancel();
            this.timer = undefined;
          }
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      if (this.tracing) {
        this.trace.emit('rate-limiter.queued', this.name, {
          call,
          waiting: this.waiters.length,
          expectedWait: wait,
        });
      }
      this.schedule();
    });
  }

  /**
   * Takes a token (see `acquire`), then runs `fn(signal)`.
   *
   * @example
   * ```ts
   * const limiter = rateLimiter({ rate: '10/s', burst: 5 });
   * const answer = await limiter.execute((signal) => llm.complete(prompt, { signal }));
   * ```
   */
  execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    if (this.waiters.length === 0 && !signal?.aborted) {
      const now = this.clock.now();
      if (this.tryGrant(now, this.calls, now)) {
        this.calls++;
        return run(fn, signal);
      }
    }
    return this.acquire(signal).then(() => run(fn, signal));
  }

  /** A snapshot: tokens now, waiters and counters. */
  metrics(): RateLimiterMetrics {
    const now = this.clock.now();
    const tokens = Math.min(this.burst, Math.max(0, this.burst - (this.tat - now) / this.intervalMs));
    return {
      name: this.name,
      tokens,
      waiting: this.waiters.length,
      granted: this.granted,
      rejected: this.rejected,
      abandoned: this.abandoned,
    };
  }

  /** How long from `now` until the caller behind every current waiter gets a token. */
  private waitFor(now: number): number {
    const tat = Math.max(this.tat, now) + this.waiters.length * this.intervalMs;
    return Math.max(0, tat - this.tolerance - now);
  }

  private tryGrant(now: number, call: number, queuedAt: number): boolean {
    const tat = Math.max(this.tat, now);
    if (tat - now > this.tolerance + EPSILON) return false;
    this.tat = tat + this.intervalMs;
    this.granted++;
    if (this.tracing) {
      const data: DraftData<'rate-limiter.granted'> = { call };
      if (queuedAt < now) data.waited = now - queuedAt;
      this.trace.emit('rate-limiter.granted', this.name, data);
    }
    return true;
  }

  /** Sets the one timer for the head waiter's token. */
  private schedule(): void {
    if (this.timer !== undefined || this.waiters.length === 0) return;
    const now = this.clock.now();
    const due = Math.max(0, Math.max(this.tat, now) - this.tolerance - now);
    this.timer = this.clock.setTimer(due, () => {
      this.timer = undefined;
      this.drain();
    });
  }

  private drain(): void {
    const now = this.clock.now();
    while (this.waiters.length > 0) {
      const head = this.waiters[0]!;
      if (!this.tryGrant(now, head.call, head.queuedAt)) break;
      this.waiters.shift();
      if (head.onAbort) head.signal!.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
    this.schedule();
  }
}

/** Calls `fn` as a promise (a synchronous throw becomes a rejection) without an extra async frame. */
function run<T>(
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  try {
    return Promise.resolve(fn(signal ?? NEVER_ABORTED));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Creates a token-bucket rate limiter that starts full.
 *
 * @example
 * ```ts
 * const limiter = rateLimiter({ rate: '10/s', burst: 5, mode: 'wait', maxWait: '2s' });
 * await limiter.execute(() => api.call());
 * ```
 */
export function rateLimiter(options: RateLimiterOptions): RateLimiter {
  return new RateLimiter(options);
}

declare module '../trace/event-map.js' {
  interface TraceEventMap {
    /** A rate limiter's normalized options: `rate` per second, `maxWait` in ms. */
    'rate-limiter.declared': {
      readonly rate: number;
      readonly burst: number;
      readonly mode: 'reject' | 'wait';
      readonly maxWait?: number;
    };
    /** A token was taken; `waited` (ms) for a caller that queued. */
    'rate-limiter.granted': { readonly call: number; readonly waited?: number };
    'rate-limiter.rejected': { readonly call: number; readonly retryAfter: number };
    'rate-limiter.queued': { readonly call: number; readonly waiting: number; readonly expectedWait: number };
    'rate-limiter.abandoned': { readonly call: number; readonly error: TracedError };
  }
}

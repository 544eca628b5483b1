/*
 * The bulkhead (the seed's pattern table): at most `maxConcurrent` calls run at
 * once, at most `maxQueue` more wait in FIFO order, and a call beyond both is
 * rejected at once with `BulkheadRejectedError`. A slot is held until the work
 * settles, even when its caller has given up; a waiter whose signal aborts
 * leaves the queue.
 */
import { BulkheadRejectedError } from '../errors/bulkhead-rejected-error.js';
import { checkOptions, integerAtLeast, optionPath } from '../options/validate.js';
import { abortReason, NEVER_ABORTED } from '../time/abort.js';
import type { Clock } from '../time/clock.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { DraftData, TracedError } from '../trace/event-map.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';

export interface BulkheadOptions extends PolicyOptions {
  /** Calls running at once (integer ≥ 1). Required. */
  maxConcurrent: number;
  /** Calls waiting for a slot, FIFO (integer ≥ 0). Default 0: no queue. */
  maxQueue?: number;
}

/** A point-in-time snapshot of a bulkhead. */
export interface BulkheadMetrics {
  name: string;
  running: number;
  queued: number;
  admitted: number;
  rejected: number;
  /** Waiters that left the queue because their signal aborted. */
  abandoned: number;
}

const KEYS = [...POLICY_KEYS, 'maxConcurrent', 'maxQueue'];

interface Waiter {
  readonly call: number;
  readonly queuedAt: number;
  readonly signal: AbortSignal | undefined;
  start(): void;
  onAbort: (() => void) | undefined;
}

/**
 * A bulkhead bound to a clock. Create it with `bulkhead(options)`.
 */
export class Bulkhead {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  private readonly queue: Waiter[] = [];
  private head = 0;
  private running = 0;
  private calls = 0;
  private admitted = 0;
  private rejected = 0;
  private abandoned = 0;

  constructor(options: BulkheadOptions) {
    const o = checkOptions('bulkhead', options, KEYS, true);
    this.name = policyName('bulkhead', o.name, 'bulkhead');
    this.clock = o.clock ?? realClock;
    this.trace = o.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.maxConcurrent = integerAtLeast(optionPath('bulkhead', 'maxConcurrent'), o.maxConcurrent, 1);
    this.maxQueue = integerAtLeast(optionPath('bulkhead', 'maxQueue'), o.maxQueue ?? 0, 0);
    if (this.tracing) {
      this.trace.emit('bulkhead.declared', this.name, {
        maxConcurrent: this.maxConcurrent,
        maxQueue: this.maxQueue,
      });
    }
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /**
   * Runs `fn(signal)` in a slot. With every slot busy the call waits in the FIFO
   * queue; with the queue full too it rejects at once with `BulkheadRejectedError`.
   * An already aborted `signal` rejects with its reason; an abort while queued
   * removes the call from the queue and rejects with the reason. Once running,
   * the call holds its slot until `fn` settles.
   *
   * @example
   * ```ts
   * const pool = bulkhead({ maxConcurrent: 10, maxQueue: 20 });
   * const rows = await pool.execute((signal) => db.query(sql, { signal }));
   * ```
   */
  execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const call = this.calls++;
    if (this.running < this.maxConcurrent && this.head === this.queue.length) {
      return this.run(fn, signal, call, -1);
    }
    if (this.queue.length - this.head >= this.maxQueue) {
      this.rejected++;
      if (this.tracing) {
        this.trace.emit('bulkhead.rejected', this.name, {
          call,
          running: this.running,
          queued: this.queue.length - this.head,
        });
      }
      return Promise.reject(new BulkheadRejectedError(this.name, this.maxConcurrent, this.maxQueue));
    }
    return this.enqueue(fn, signal, call);
  }

  /** A snapshot of the counters. */
  metrics(): BulkheadMetrics {
    return {
      name: this.name,
      running: this.running,
      queued: this.queued,
      admitted: this.admitted,
      rejected: this.rejected,
      abandoned: this.abandoned,
    };
  }

  private run<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    signal: AbortSignal | undefined,
    call: number,
    queuedAt: number,
  ): Promise<T> {
    this.running++;
    this.admitted++;
    if (this.tracing) {
      const data: DraftData<'bulkhead.admitted'> = { call, running: this.running };
      if (queuedAt >= 0) data.waited = this.clock.now() - queuedAt;
      this.trace.emit('bulkhead.admitted', this.name, data);
    }
    let work: Promise<T>;
    try {
      work = Promise.resolve(fn(signal ?? NEVER_ABORTED));
    } catch (error) {
      work = Promise.reject(error);
    }
    // One derived promise, no async frame: the slot is released when the work settles.
    // Untraced, the call's number is not needed: shared handlers, no closure per call.
    if (!this.tracing) return work.then(this.releaseValue as (value: T) => T, this.releaseError);
    return work.then(
      (value) => {
        this.release(call);
        return value;
      },
      (error: unknown) => {
        this.release(call);
        throw error;
      },
    );
  }

  private readonly releaseValue = (value: unknown): unknown => {
    this.release(-1);
    return value;
  };

  private readonly releaseError = (error: unknown): never => {
    this.release(-1);
    throw error;
  };

  private release(call: number): void {
    this.running--;
    if (this.tracing) this.trace.emit('bulkhead.released', this.name, { call, running: this.running });
    if (this.head < this.queue.length) this.next();
  }

  private enqueue<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    signal: AbortSignal | undefined,
    call: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        call,
        queuedAt: this.clock.now(),
        signal,
        onAbort: undefined,
        start: () => {
          if (waiter.onAbort) signal!.removeEventListener('abort', waiter.onAbort);
          this.run(fn, signal, call, waiter.queuedAt).then(resolve, reject);
        },
      };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.queue.indexOf(waiter, this.head);
          if (at < 0) return;
          this.queue.splice(at, 1);
          this.abandoned++;
          if (this.tracing) {
            this.trace.emit('bulkhead.abandoned', this.name, {
              call,
              queued: this.queue.length - this.head,
              error: errorData(abortReason(signal)),
            });
          }
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      if (this.tracing) {
        this.trace.emit('bulkhead.queued', this.name, {
          call,
          running: this.running,
          queued: this.queue.length - this.head,
        });
      }
    });
  }

  /** Starts queued calls while slots are free. */
  private next(): void {
    while (this.running < this.maxConcurrent && this.head < this.queue.length) {
      const waiter = this.queue[this.head]!;
      this.queue[this.head] = undefined as unknown as Waiter;
      this.head++;
      if (this.head > 64 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      waiter.start();
    }
    if (this.head === this.queue.length && this.head > 0) {
      this.queue.length = 0;
      this.head = 0;
    }
  }
}

/**
 * Creates a bulkhead: at most `maxConcurrent` calls at once, at most `maxQueue`
 * waiting (FIFO), the rest rejected with `BulkheadRejectedError`.
 *
 * @example
 * ```ts
 * const pool = bulkhead({ maxConcurrent: 2, maxQueue: 4, name: 'search' });
 * await pool.execute((signal) => search.call(query, { signal }));
 * ```
 */
export function bulkhead(options: BulkheadOptions): Bulkhead {
  return new Bulkhead(options);
}

declare module '../trace/event-map.js' {
  interface TraceEventMap {
    /** A bulkhead's normalized options, when it is created. */
    'bulkhead.declared': { readonly maxConcurrent: number; readonly maxQueue: number };
    /** A call started running; `waited` (ms) when it was queued first. */
    'bulkhead.admitted': { readonly call: number; readonly running: number; readonly waited?: number };
    'bulkhead.queued': { readonly call: number; readonly running: number; readonly queued: number };
    'bulkhead.rejected': { readonly call: number; readonly running: number; readonly queued: number };
    /** A waiter's signal aborted: it left the queue. */
    'bulkhead.abandoned': { readonly call: number; readonly queued: number; readonly error: TracedError };
    'bulkhead.released': { readonly call: number; readonly running: number };
  }
}

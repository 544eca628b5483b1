/*
 * A response stream driven by the service's clock: items become available at
 * fixed clock times (pushed by timers whether or not anyone reads), and the
 * stream then ends at a given time or stalls forever (no timer held). An abort
 * of the call's signal errors the stream at once; `return()` (cancelling the
 * body) ends it at once. `done` tells the service how the stream ended.
 */

import { abortReason } from '../../time/abort.js';
import type { Clock, TimerHandle } from '../../time/clock.js';

/** How a scheduled stream finished. */
export type StreamOutcome = 'complete' | 'aborted' | 'cancelled';

/** An item due at clock time `at`. */
export interface Scheduled<T> {
  readonly at: number;
  readonly value: T;
}

type State = 'running' | 'stalled' | 'complete' | 'aborted' | 'cancelled';

export class ScheduledStream<T> implements AsyncIterableIterator<T> {
  /** Settles with how the stream finished (never, for a stall nobody aborts). */
  readonly done: Promise<StreamOutcome>;
  private resolveDone!: (outcome: StreamOutcome) => void;
  private state: State = 'running';
  private position = 0;
  private timer: TimerHandle | undefined;
  private readonly buffer: T[] = [];
  private readonly waiters: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  private readonly onAbort = () => this.abort();

  /**
   * @param items in time order
   * @param endAt clock time the stream ends (≥ the last item), or `'stall'` to never end
   */
  constructor(
    private readonly clock: Clock,
    private readonly items: readonly Scheduled<T>[],
    private readonly endAt: number | 'stall',
    private readonly signal: AbortSignal | undefined,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    if (signal?.aborted) {
      this.abort();
      return;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.pump();
  }

  private pump = (): void => {
    this.timer = undefined;
    if (this.state !== 'running') return;
    const now = this.clock.now();
    while (this.position < this.items.length && this.items[this.position]!.at <= now) {
      this.buffer.push(this.items[this.position++]!.value);
    }
    if (this.position < this.items.length) {
      this.timer = this.clock.setTimer(this.items[this.position]!.at - now, this.pump);
    } else if (this.endAt === 'stall') {
      this.state = 'stalled';
    } else if (this.endAt > now) {
      this.timer = this.clock.setTimer(this.endAt - now, this.finish);
    } else {
      this.finish();
    }
    this.flush();
  };

  private finish = (): void => {
    this.timer = undefined;
    if (this.state !== 'running') return;
    this.settle('complete');
    this.flush();
  };

  private settle(outcome: StreamOutcome): void {
    this.state = outcome;
    this.timer?.cancel();
    this.timer = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.resolveDone(outcome);
  }

  private abort(): void {
    if (this.state === 'complete' || this.state === 'aborted' || this.state === 'cancelled') return;
    this.settle('aborted');
    this.buffer.length = 0;
    const reason = abortReason(this.signal!);
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }

  private flush(): void {
    while (this.waiters.length > 0 && this.buffer.length > 0) {
      this.waiters.shift()!.resolve({ value: this.buffer.shift()!, done: false });
    }
    if (this.buffer.length === 0 && (this.state === 'complete' || this.state === 'cancelled')) {
      for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.state === 'aborted') return Promise.reject(abortReason(this.signal!));
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.state === 'complete' || this.state === 'cancelled') {
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Cancels the stream (a consumer `break` or `body.cancel()`). */
  return(): Promise<IteratorResult<T>> {
    if (this.state === 'running' || this.state === 'stalled') {
      this.settle('cancelled');
      this.buffer.length = 0;
      this.flush();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

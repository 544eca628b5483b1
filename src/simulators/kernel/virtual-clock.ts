import { AsyncResource } from 'node:async_hooks';
import { abortReason } from '../../time/abort.js';
import type { Clock, TimerHandle } from '../../time/clock.js';
import { type CallSite, captureSite } from './call-site.js';
import { type HeapEntry, TimerHeap } from './timer-heap.js';

/*
 * Virtual time and the timer queue of one simulation. Time moves only when the
 * kernel fires the next timer. Each timer keeps the async context it was created
 * in (an AsyncResource), so AsyncLocalStorage survives virtual timers.
 */

const TIMEOUT_MAX = 2 ** 31 - 1;

export type TimerKind = 'timeout' | 'interval' | 'immediate' | 'sleep';

/**
 * A pending virtual timer. Mimics Node's `Timeout` object (ref/unref/refresh/close).
 * It is its own `AsyncResource` (as a Node `Timeout` is the resource of its async
 * context): it keeps the context it was created in, with no second object per timer.
 */
export class VirtualTimer extends AsyncResource implements HeapEntry, TimerHandle {
  at = 0;
  seq = 0;
  heapIndex = -1;
  /** Where an interval was created (captured for intervals only, for diagnostics). */
  site: CallSite | undefined;
  private refed = true;

  constructor(
    private readonly owner: VirtualClock,
    readonly id: number,
    readonly kind: TimerKind,
    readonly delay: number,
    readonly callback: (...args: any[]) => void,
    readonly args: readonly unknown[] | undefined,
  ) {
    super('faultline.timer');
  }

  ref(): this {
    if (!this.refed) {
      this.refed = true;
      if (this.heapIndex >= 0) this.owner.refCount++;
    }
    return this;
  }

  unref(): this {
    if (this.refed) {
      this.refed = false;
      if (this.heapIndex >= 0) this.owner.refCount--;
    }
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  /** Restarts the timer from the current virtual time with the same delay. */
  refresh(): this {
    this.owner.reschedule(this, this.delay);
    return this;
  }

  close(): this {
    this.owner.cancel(this);
    return this;
  }

  cancel(): void {
    this.owner.cancel(this);
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

const ONCE = { once: true } as const;

/**
 * One `sleep` with a signal: the object is both the abort listener (`handleEvent`)
 * and what the timer wakes, so a sleep allocates no listener closure.
 */
class SignalSleep {
  timer: VirtualTimer | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly signal: AbortSignal,
    private readonly resolve: () => void,
    private readonly reject: (reason: unknown) => void,
  ) {}

  wake(): void {
    this.signal.removeEventListener('abort', this);
    this.resolve();
  }

  handleEvent(): void {
    this.clock.cancel(this.timer);
    this.reject(abortReason(this.signal));
  }
}

export class VirtualClock implements Clock {
  /** Virtual milliseconds since the start of the run. */
  time = 0;
  /** Number of pending ref'd timers (what keeps a Node process alive). */
  refCount = 0;
  /** Timers created so far (an activity counter for the kernel). */
  created = 0;
  /** Interval timers in the queue (when it equals `heap.size`, only intervals are left). */
  intervals = 0;
  readonly heap = new TimerHeap<VirtualTimer>();
  private nextId = 1;
  private nextSeq = 0;
  /**
   * `simulate({ ties: 'random' })`: a seeded draw in [0, 1) per timer. Timers due
   * at the same time are then ordered by it (creation order among equal draws):
   * the draw goes in the high bits of `seq`, the creation counter in the low ones.
   */
  tieBreak: (() => number) | undefined;

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.schedule('sleep', ms, fn, undefined);
  }

  /** `sleepWith(this, ms, signal)` (see `Clock.sleep`), inlined: sleeps are the kernel's hottest path. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!signal) {
      return new Promise<void>((resolve) => {
        this.schedule('sleep', ms, resolve, undefined);
      });
    }
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const sleeper = new SignalSleep(this, signal, resolve, reject);
      sleeper.timer = this.schedule('sleep', ms, () => sleeper.wake(), undefined);
      signal.addEventListener('abort', sleeper, ONCE);
    });
  }

  /** Node's delay rule: anything not in [1, 2^31 − 1] (NaN, 0, negative, huge) becomes 1 ms. */
  static nodeDelay(delay: unknown): number {
    const ms = Number(delay);
    return ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
  }

  schedule(
    kind: TimerKind,
    delay: number,
    callback: (...args: any[]) => void,
    args: unknown[] | undefined,
  ): VirtualTimer {
    if (typeof callback !== 'function') {
      throw new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`);
    }
    const timer = new VirtualTimer(this, this.nextId++, kind, delay, callback, args);
    if (kind === 'interval') timer.site = captureSite();
    this.created++;
    this.enqueue(timer, delay);
    return timer;
  }

  private enqueue(timer: VirtualTimer, delay: number): void {
    timer.at = this.time + Math.max(delay, 0);
    const tie = this.tieBreak;
    timer.seq = tie === undefined ? this.nextSeq++ : Math.floor(tie() * 2 ** 20) * 2 ** 32 + this.nextSeq++;
    this.heap.push(timer);
    if (timer.hasRef()) this.refCount++;
    if (timer.kind === 'interval') this.intervals++;
  }

  private removed(timer: VirtualTimer): void {
    if (timer.hasRef()) this.refCount--;
    if (timer.kind === 'interval') this.intervals--;
  }

  reschedule(timer: VirtualTimer, delay: number): void {
    if (this.heap.remove(timer)) this.removed(timer);
    this.enqueue(timer, delay);
  }

  cancel(timer: VirtualTimer | undefined): void {
    if (!timer) return;
    if (this.heap.remove(timer)) {
      this.created++;
      this.removed(timer);
    }
  }

  /**
   * Clears by handle or numeric id, as `clearTimeout` accepts both. Only pending
   * timers can be cleared, so an id is looked up in the queue (a linear scan:
   * clearing by number is rare, and no id map then costs anything per timer).
   */
  clear(handle: unknown): void {
    if (handle instanceof VirtualTimer) this.cancel(handle);
    else if (typeof handle === 'number' || typeof handle === 'string')
      this.cancel(this.pendingById(Number(handle)));
  }

  private pendingById(id: number): VirtualTimer | undefined {
    for (const timer of this.heap.values()) if (timer.id === id) return timer;
    return undefined;
  }

  /** Removes the next due timer from the queue, advances time to it and returns it (not yet run). */
  takeNext(): VirtualTimer | undefined {
    const timer = this.heap.pop();
    if (!timer) return undefined;
    this.removed(timer);
    if (timer.at > this.time) this.time = timer.at;
    if (timer.kind === 'interval') this.enqueue(timer, timer.delay);
    return timer;
  }

  /** Runs a taken timer's callback in the async context it was created in. */
  static run(timer: VirtualTimer): void {
    const args = timer.args;
    if (args === undefined || args.length === 0) timer.runInAsyncScope(timer.callback);
    else timer.runInAsyncScope(timer.callback, undefined, ...args);
  }
}

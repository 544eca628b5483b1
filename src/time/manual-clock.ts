import { ConfigError } from '../errors/config-error.js';
import { type Clock, sleepWith, type TimerHandle } from './clock.js';

/*
 * A clock that only moves when told to. Timers fire in (due time, insertion)
 * order; between firings every pending microtask settles, so promise chains
 * started by one timer run before the next timer fires.
 */

// Captured at module load so that fake timers installed later never capture the drain.
const drainViaImmediate: ((fn: () => void) => unknown) | undefined = globalThis.setImmediate;

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A manually advanced `Clock` for tests: `now()` starts at `start` (default 0)
 * and changes only through `advance` / `advanceTo`, which fire due timers in
 * (time, insertion) order and let microtasks settle between firings.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const done = clock.sleep(1000);
 * await clock.advance(1000); // the sleep resolves, now() === 1000
 * ```
 */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers: Timer[] = [];

  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new ConfigError('ManualClock(start)', start, 'a finite number of ms');
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer: Timer = { due: this.time + delay, seq: this.seq++, fn, cancelled: false };
    // Keep the list sorted by (due, seq): insert after every timer due at or before this one.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.due > timer.due) i--;
    this.timers.splice(i, 0, timer);
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        const at = this.timers.indexOf(timer);
        if (at >= 0) this.timers.splice(at, 1);
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Due time of the next pending timer, or `undefined`. */
  get nextTimerAt(): number | undefined {
    return this.timers[0]?.due;
  }

  /** Moves time forward by `ms`, firing every timer due up to and including the new time. */
  advance(ms: number): Promise<void> {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new ConfigError('ManualClock.advance(ms)', ms, 'a finite number >= 0');
    return this.advanceTo(this.time + ms);
  }

  /** Moves time to `t` (never backwards), firing due timers in order. */
  async advanceTo(t: number): Promise<void> {
    if (!(Number.isFinite(t) && t >= this.time)) {
      throw new ConfigError('ManualClock.advanceTo(t)', t, `a finite time >= now (${this.time})`);
    }
    await this.settle();
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.due > t) break;
      this.timers.shift();
      next.cancelled = true;
      this.time = next.due;
      next.fn();
      await this.settle();
    }
    this.time = t;
    await this.settle();
  }

  /** Fires every pending timer (including ones scheduled while running) up to `limit` firings. */
  async runAll(limit = 10_000): Promise<void> {
    await this.settle();
    for (let fired = 0; this.timers.length > 0; fired++) {
      if (fired >= limit)
        throw new ConfigError('ManualClock.runAll(limit)', limit, 'a limit above the timers fired');
      await this.advanceTo(this.timers[0]!.due);
    }
  }

  /** Waits until every pending microtask (promise continuation) has run. */
  settle(): Promise<void> {
    if (drainViaImmediate) return new Promise<void>((resolve) => drainViaImmediate(resolve));
    return settleByMicrotasks();
  }
}

async function settleByMicrotasks(): Promise<void> {
  for (let i = 0; i < 1000; i++) await Promise.resolve();
}

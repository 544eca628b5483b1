/*
 * Sliding windows of call outcomes for the breaker's rate mode (resilience4j's
 * COUNT_BASED and TIME_BASED windows): the last N calls, or the calls in the
 * last D milliseconds. Both answer "how many calls, how many failed" in O(1)
 * amortized per call.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, integerAtLeast } from '../options/validate.js';
import { type Duration, duration } from '../time/duration.js';

/** The window of the breaker's rate mode. */
export type BreakerWindowOptions = { type: 'count'; size: number } | { type: 'time'; duration: Duration };

export interface OutcomeWindow {
  record(failed: boolean, now: number): void;
  /** Calls in the window at `now`. */
  calls(now: number): number;
  /** Failed calls in the window at `now`. */
  failures(now: number): number;
  reset(): void;
}

/** The last `size` outcomes in a ring buffer. */
export class CountWindow implements OutcomeWindow {
  private readonly ring: Uint8Array;
  private next = 0;
  private filled = 0;
  private failed = 0;

  constructor(readonly size: number) {
    this.ring = new Uint8Array(integerAtLeast('window.size', size, 1));
  }

  record(failed: boolean): void {
    if (this.filled === this.ring.length) this.failed -= this.ring[this.next]!;
    else this.filled++;
    this.ring[this.next] = failed ? 1 : 0;
    if (failed) this.failed++;
    this.next = (this.next + 1) % this.ring.length;
  }

  calls(): number {
    return this.filled;
  }

  failures(): number {
    return this.failed;
  }

  reset(): void {
    this.ring.fill(0);
    this.next = 0;
    this.filled = 0;
    this.failed = 0;
  }
}

/** Outcomes recorded in the half-open interval (now − duration, now]. */
export class TimeWindow implements OutcomeWindow {
  private times: number[] = [];
  private outcomes: boolean[] = [];
  private head = 0;
  private failed = 0;

  constructor(readonly durationMs: number) {}

  record(failed: boolean, now: number): void {
    this.evict(now);
    this.times.push(now);
    this.outcomes.push(failed);
    if (failed) this.failed++;
  }

  calls(now: number): number {
    this.evict(now);
    return this.times.length - this.head;
  }

  failures(now: number): number {
    this.evict(now);
    return this.failed;
  }

  reset(): void {
    this.times = [];
    this.outcomes = [];
    this.head = 0;
    this.failed = 0;
  }

  private evict(now: number): void {
    const horizon = now - this.durationMs;
    while (this.head < this.times.length && this.times[this.head]! <= horizon) {
      if (this.outcomes[this.head]) this.failed--;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.outcomes = this.outcomes.slice(this.head);
      this.head = 0;
    }
  }
}

/** Builds the window described by `options` (validated; `ConfigError` on bad input). */
export function createWindow(options: BreakerWindowOptions): OutcomeWindow {
  if (options?.type === 'count') {
    checkOptions('circuitBreaker({ window })', options, ['type', 'size']);
    return new CountWindow(options.size);
  }
  if (options?.type === 'time') {
    checkOptions('circuitBreaker({ window })', options, ['type', 'duration']);
    const ms = duration(options.duration, 'window.duration');
    if (ms <= 0) throw new ConfigError('window.duration', options.duration, 'a duration > 0');
    return new TimeWindow(ms);
  }
  throw new ConfigError('window', options, '{ type: "count", size } or { type: "time", duration }');
}

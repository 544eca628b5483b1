/*
 * Passive outlier ejection for a load balancer, as Envoy does it: a backend
 * with `consecutiveFailures` failed calls in a row is ejected for
 * `baseEjectionTime × times ejected` (capped at `maxEjectionTime`), then
 * returns on a clock timer with its failure count cleared. At most
 * `maxEjectionPercent` of the backends are ejected at once (at least one when
 * the percentage is above 0, as in Envoy) and never all of them: a backend that
 * would exceed that stays in and its next failure tries again.
 */
import {
  checkOptions,
  finiteAtLeast,
  integerAtLeast,
  numberInRange,
  optionPath,
} from '../options/validate.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';

export interface OutlierEjectionOptions {
  /** Consecutive failed calls that eject a backend (integer ≥ 1). Default 5 (Envoy). */
  consecutiveFailures?: number;
  /** Ejection time for the first ejection; the n-th lasts n times as long. Default `'30s'` (Envoy). */
  baseEjectionTime?: Duration;
  /** Longest ejection. Default: the larger of `baseEjectionTime` and 300 s (Envoy). */
  maxEjectionTime?: Duration;
  /** Most backends ejected at once, as a percentage of all. Default 50. */
  maxEjectionPercent?: number;
}

/** Normalized outlier-ejection settings (as declared in the trace). */
export interface OutlierEjectionSettings {
  consecutiveFailures: number;
  baseEjectionTimeMs: number;
  maxEjectionTimeMs: number;
  maxEjectionPercent: number;
  /** Backends that may be ejected at once. */
  maxEjected: number;
}

const KEYS = ['consecutiveFailures', 'baseEjectionTime', 'maxEjectionTime', 'maxEjectionPercent'];

/** Validates `loadBalancer({ outlierEjection })` for `n` backends. */
export function outlierEjectionSettings(options: OutlierEjectionOptions, n: number): OutlierEjectionSettings {
  const owner = 'loadBalancer.outlierEjection';
  const o = checkOptions(owner, options, KEYS, true);
  const base =
    o.baseEjectionTime === undefined
      ? 30_000
      : duration(o.baseEjectionTime, optionPath(owner, 'baseEjectionTime'));
  const max =
    o.maxEjectionTime === undefined
      ? Math.max(base, 300_000)
      : duration(o.maxEjectionTime, optionPath(owner, 'maxEjectionTime'));
  finiteAtLeast(optionPath(owner, 'maxEjectionTime'), max, base);
  const percent = numberInRange(optionPath(owner, 'maxEjectionPercent'), o.maxEjectionPercent ?? 50, 0, 100);
  const byPercent = Math.floor((n * percent) / 100 + 1e-9);
  return {
    consecutiveFailures: integerAtLeast(
      optionPath(owner, 'consecutiveFailures'),
      o.consecutiveFailures ?? 5,
      1,
    ),
    baseEjectionTimeMs: base,
    maxEjectionTimeMs: max,
    maxEjectionPercent: percent,
    maxEjected: Math.min(n - 1, percent > 0 ? Math.max(1, byPercent) : 0),
  };
}

/** What happened to a failure. */
export type EjectionVerdict =
  | { kind: 'none' }
  | { kind: 'ejected'; times: number; durationMs: number; until: number }
  | { kind: 'skipped'; ejected: number };

/** Tracks consecutive failures and ejections per backend. */
export class OutlierEjection {
  private readonly failures: number[];
  private readonly times: number[];
  private readonly timers: (TimerHandle | undefined)[];
  private ejectedCount = 0;

  constructor(
    n: number,
    readonly settings: OutlierEjectionSettings,
    private readonly clock: Clock,
    private readonly onReturn: (index: number) => void,
  ) {
    this.failures = new Array<number>(n).fill(0);
    this.times = new Array<number>(n).fill(0);
    this.timers = new Array<TimerHandle | undefined>(n).fill(undefined);
  }

  isEjected(index: number): boolean {
    return this.timers[index] !== undefined;
  }

  get ejected(): number {
    return this.ejectedCount;
  }

  success(index: number): void {
    this.failures[index] = 0;
  }

  failure(index: number): EjectionVerdict {
    const count = ++this.failures[index]!;
    if (count < this.settings.consecutiveFailures || this.isEjected(index)) return { kind: 'none' };
    if (this.ejectedCount >= this.settings.maxEjected) return { kind: 'skipped', ejected: this.ejectedCount };
    const times = ++this.times[index]!;
    const durationMs = Math.min(this.settings.maxEjectionTimeMs, this.settings.baseEjectionTimeMs * times);
    this.ejectedCount++;
    this.timers[index] = this.clock.setTimer(durationMs, () => this.return(index));
    return { kind: 'ejected', times, durationMs, until: this.clock.now() + durationMs };
  }

  /** Cancels every ejection timer and returns the ejected backends. */
  stop(): void {
    for (let i = 0; i < this.timers.length; i++) {
      if (this.timers[i] !== undefined) {
        this.timers[i]!.cancel();
        this.return(i);
      }
    }
  }

  private return(index: number): void {
    this.timers[index] = undefined;
    this.failures[index] = 0;
    this.ejectedCount--;
    this.onReturn(index);
  }
}

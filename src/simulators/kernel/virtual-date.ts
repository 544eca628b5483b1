import { createRequire } from 'node:module';
import FakeTimers from '@sinonjs/fake-timers';

/*
 * Virtual `Date` and `performance` for a run: @sinonjs/fake-timers' own fakes
 * (its `Date` class and its `performance` object), built once per process by
 * one `install` + `uninstall` and then swapped into the globals at every run's
 * start and put back at its end. Installing fake-timers anew for each run cost
 * tens of µs, a noticeable share of a short simulation. Runs with the same
 * epoch share one fake clock (its `performance.now()` counts from the epoch it
 * was built with, so another epoch builds anew); only one run is active at a
 * time (nested runs are refused).
 */

const require = createRequire(import.meta.url);
const perfHooks = require('node:perf_hooks') as { performance: object };

interface Fakes {
  epochMs: number;
  clock: { now: number };
  Date: DateConstructor & { isFake?: boolean };
  performance: { now(): number; timeOrigin?: number };
}

let fakes: Fakes | undefined;

let fakeTimers: ReturnType<typeof FakeTimers.withGlobal> | undefined;

function build(epochMs: number): Fakes {
  fakeTimers ??= FakeTimers.withGlobal(globalThis);
  const clock = fakeTimers.install({ toFake: ['Date', 'performance'], now: epochMs });
  try {
    const date = globalThis.Date as Fakes['Date'];
    // Virtual time is fractional (latency samples); real Date.now() is always whole,
    // performance.now() is the fractional one.
    const fakeNow = date.now;
    date.now = () => Math.floor(fakeNow());
    return {
      epochMs,
      clock,
      Date: date,
      performance: globalThis.performance as unknown as Fakes['performance'],
    };
  } finally {
    clock.uninstall();
  }
}

export interface VirtualDate {
  /** Sets `Date.now()` to `epochMs + virtualMs` (floored) and `performance.now()` to `virtualMs`. */
  setTime(virtualMs: number): void;
  /** Puts back exactly the `Date`, `performance` and `perf_hooks.performance.now` found at install. */
  restore(): void;
}

/** Makes `Date` and `performance.now` virtual, starting at `epochMs`, until `restore()`. */
export function installVirtualDate(epochMs: number): VirtualDate {
  const g = globalThis as Record<string, unknown>;
  if ((g.Date as Fakes['Date']).isFake === true) {
    throw new TypeError("Can't install fake timers twice on the same global object.");
  }
  if (fakes?.epochMs !== epochMs) fakes = build(epochMs);
  const f = fakes;
  const saved = [
    [g, 'Date', Object.getOwnPropertyDescriptor(g, 'Date')],
    [g, 'performance', Object.getOwnPropertyDescriptor(g, 'performance')],
    [perfHooks, 'now', Object.getOwnPropertyDescriptor(perfHooks.performance, 'now')],
  ] as const;
  f.clock.now = epochMs;
  const value = { configurable: true, writable: true };
  Object.defineProperty(g, 'Date', { ...value, enumerable: false, value: f.Date });
  Object.defineProperty(g, 'performance', { ...value, enumerable: true, value: f.performance });
  Object.defineProperty(perfHooks.performance, 'now', { ...value, value: f.performance.now });
  return {
    setTime(virtualMs) {
      f.clock.now = epochMs + virtualMs;
    },
    restore() {
      for (const [owner, key, descriptor] of saved) {
        const target = owner === perfHooks ? perfHooks.performance : owner;
        if (descriptor) Object.defineProperty(target, key, descriptor);
        else Reflect.deleteProperty(target, key);
      }
    },
  };
}

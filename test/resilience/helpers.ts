/** Test helpers shared by the resilience tests. */

import type { ManualClock } from '../../src/time/manual-clock.js';
import { Trace } from '../../src/trace/trace.js';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A trace stamped with the manual clock's time. */
export function traceOn(clock: ManualClock): Trace {
  return new Trace(() => clock.now());
}

/** An HTTP-style error like the SDKs throw. */
export function httpError(status: number, headers?: Record<string, string> | Headers, extra?: object): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status, headers }, extra);
}

/** Settles `promise` into a value the test can inspect later without unhandled rejections. */
export function capture<T>(promise: Promise<T>): {
  readonly settled: boolean;
  readonly value?: T;
  readonly error?: unknown;
} {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

/**
 * The `Clock` interface: everything in faultline that waits or reads time goes
 * through one, so the same code runs on the real clock in production and on the
 * virtual clock inside `simulate`.
 */
import { abortReason } from './abort.js';

export interface TimerHandle {
  /** Cancels the timer; a no-op if it already fired. */
  cancel(): void;
}

export interface Clock {
  /** Current time in milliseconds (epoch-based for the real clock, virtual epoch inside a simulation). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with the signal's reason as soon as
   * `signal` aborts (at once if it is already aborted).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` after `ms` milliseconds unless cancelled. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** Builds `sleep` from `setTimer`, with abort support. Shared by every clock implementation. */
export function sleepWith(clock: Pick<Clock, 'setTimer'>, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    if (!signal) {
      clock.setTimer(ms, resolve);
      return;
    }
    const onAbort = () => {
      handle.cancel();
      reject(abortReason(signal));
    };
    const handle = clock.setTimer(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

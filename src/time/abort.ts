/*
 * The abort helpers, in one place: the reason of an aborted signal, a shared
 * signal that never aborts, a promise that only an abort settles, and racing a
 * promise against a signal.
 */
import { setMaxListeners } from 'node:events';

/** The signal's reason, or a standard `AbortError` when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * A signal that never aborts, shared so that the fast paths allocate nothing. Any
 * number of concurrent waits may listen on it (Node would otherwise warn of a
 * listener leak past 10), and its listeners never fire.
 */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;
setMaxListeners(0, NEVER_ABORTED);

/** A promise that never settles unless `signal` aborts (then it rejects with the reason). Holds no timer. */
export function never(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(abortReason(signal));
    else signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });
}

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts.
 * A value that arrives after the abort goes to `onLate` (to release what it
 * holds, e.g. cancel a response body); a late rejection is dropped.
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onLate?: (value: T) => void,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.then(onLate, () => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const race = new AbortRace(signal, reject);
    signal.addEventListener('abort', race, ONCE);
    promise.then(
      (value) => {
        if (signal.aborted) onLate?.(value);
        race.settle(resolve, value);
      },
      (error) => race.settle(reject, error),
    );
  });
}

const ONCE = { once: true } as const;

/** The abort listener of one `abortable` (an object with `handleEvent`: no listener closure per call). */
class AbortRace {
  constructor(
    private readonly signal: AbortSignal,
    private readonly reject: (reason: unknown) => void,
  ) {}

  handleEvent(): void {
    this.reject(abortReason(this.signal));
  }

  settle<V>(how: (value: V) => void, value: V): void {
    this.signal.removeEventListener('abort', this);
    how(value);
  }
}

/*
 * The abort helpers, in one place: the reason of an aborted signal, a shared
 * signal that never aborts, a promise that only an abort settles, and racing a
 * promise against a signal.
 */

/** The signal's reason, or a standard `AbortError` when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/*
 * The signal policies hand user code when the caller gave none. It never aborts,
 * so a listener added to it could never run: it keeps none. Libraries that add an
 * abort listener per call and never remove it (the openai SDK does) would otherwise
 * pile listeners onto one process-wide signal, call after call and run after run,
 * until Node prints MaxListenersExceededWarning. Everything else is a real,
 * unaborted AbortSignal (`aborted`, `reason`, `throwIfAborted`, `AbortSignal.any`).
 */
function neverAborted(): AbortSignal {
  const signal = new AbortController().signal;
  const ignore = () => {};
  Object.defineProperties(signal, {
    addEventListener: { value: ignore },
    removeEventListener: { value: ignore },
    onabort: { get: () => null, set: ignore },
  });
  return signal;
}

/** A shared signal that never aborts and keeps no listeners, so the fast paths allocate nothing. */
export const NEVER_ABORTED: AbortSignal = neverAborted();

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

/*
 * While a run is active, an unhandled rejection or an uncaught exception was
 * raised by code running inside it (an async timer callback, a floating
 * promise, a real-timer callback): it belongs to the run, not to the process.
 * Node's default would crash the process and vitest would report it apart
 * from the test, so for the run's duration faultline is the only listener and
 * hands the error to the run. The previous listeners come back on restore.
 */

const EVENTS = ['unhandledRejection', 'uncaughtException'] as const;

type Listener = (...args: any[]) => void;
const proc = process as unknown as {
  listeners(event: string): Listener[];
  on(event: string, l: Listener): void;
  removeListener(event: string, l: Listener): void;
};

/** Routes stray errors to `onError` until the returned function is called. */
export function captureStrayErrors(
  onError: (error: unknown, promise: Promise<unknown> | undefined) => void,
): () => void {
  const saved = EVENTS.map((event) => [event, proc.listeners(event)] as const);
  const onRejection = (reason: unknown, promise: Promise<unknown>) => onError(reason, promise);
  const onException = (error: unknown) => onError(error, undefined);
  for (const [event, listeners] of saved) for (const l of listeners) proc.removeListener(event, l);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.removeListener('unhandledRejection', onRejection);
    process.removeListener('uncaughtException', onException);
    for (const [event, listeners] of saved) {
      const now = proc.listeners(event);
      for (const l of listeners) if (!now.includes(l)) proc.on(event, l);
    }
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Correlation ids: the request an event belongs to. A workload request (and an
 * agent run outside any request) runs inside `withRequest(id, …)`; the id
 * travels with the async context (promises, and virtual timers, which keep
 * their context) to every retry, breaker decision, service call and fault it
 * causes, and the trace stamps it on their events as `req`.
 */

const storage = new AsyncLocalStorage<string>();

/** The correlation id of the request the current code runs for, if any. */
export function currentRequest(): string | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it starts) as part of request `id`. */
export function withRequest<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

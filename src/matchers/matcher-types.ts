/*
 * The matchers' types, merged into vitest's `expect` (vitest 4): importing
 * `faultline/vitest` or `faultline/matchers` makes `expect(result).toHaveTrippedBreaker('llm')`
 * typecheck, and a misspelt matcher not. Arguments typed `number` or `string`
 * also accept asymmetric matchers (`expect.any(Number)` is typed `any`).
 */
import type { Invariant } from '../properties/invariant.js';
import type { CircuitState } from '../resilience/circuit-breaker.js';
import type { Duration } from '../time/duration.js';

/** What `toHaveFailedWith` accepts, as vitest's `toThrow` does. */
export type ExpectedError = (abstract new (...args: any[]) => unknown) | string | RegExp | Error;

/** faultline's matchers on a simulation result. */
export interface FaultlineMatchers<R = unknown> {
  /** The breaker (any breaker without a name) opened at least once, or `times` times. */
  toHaveTrippedBreaker(name?: string, options?: { times?: number }): R;
  /** The breaker's state at the end of the run. */
  toHaveBreakerState(name: string, state: CircuitState): R;
  /** The states the breaker visited, in order, starting with the initial `'closed'`. */
  toHaveBreakerTransitions(name: string, states: readonly CircuitState[]): R;
  /** The breaker (or bulkhead, rate limiter) refused calls: at least one, or `times`. */
  toHaveRejectedCalls(name: string, times?: number): R;
  /** Retries (attempts after the first) happened: at least one, exactly `times`, or within `{ min, max }`. */
  toHaveRetried(times?: number | { min?: number; max?: number }, options?: { name?: string }): R;
  /** Every retry after a Retry-After waited at least that long (and there was at least one). */
  toHaveHonoredRetryAfter(name?: string): R;
  /** The mock service received calls: at least one, or `times`. */
  toHaveCalledService(name: string, times?: number): R;
  /** A fault of `kind` (`'outage'`, `'rateLimit'`, …) was injected: at least once, or `times`. */
  toHaveInjectedFault(kind: string, times?: number): R;
  /** The body returned within `limit` of virtual time. */
  toHaveCompletedWithin(limit: Duration): R;
  /** The body returned (`result.outcome === 'ok'`). */
  toHaveSucceeded(): R;
  /** The body threw an error matching `expected` (class, message substring, RegExp, error). */
  toHaveFailedWith(expected: ExpectedError): R;
  /** A fallback chain reached the step `name`, or the agent `name` answered with its fallback. */
  toHaveFallenBackTo(name: string): R;
  /** Retries did not multiply the load: attempts ÷ requests ≤ `maxAmplification` (per `window` when given). */
  toHaveNoRetryStorm(options: { maxAmplification: number; window?: Duration }): R;
  /** The trace satisfies every given invariant, or with none given every applicable one (`invariants.all()`). */
  toSatisfyInvariants(...invariants: Invariant[]): R;
  /** Reruns the scenario with the same seed; the trace hash must be identical. */
  toBeDeterministic(): Promise<R>;
}

declare module 'vitest' {
  interface Matchers<T = any> extends FaultlineMatchers<T> {}
}

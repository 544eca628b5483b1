/*
 * `instrumentBreaker`: wraps any breaker with `execute(fn)` and a `state`
 * getter so that its calls are traced as faultline breaker events. A call is
 * admitted when the breaker runs its function, rejected when `execute` fails
 * without running it; transitions are read from `state` around every call.
 *
 * A result is traced when the breaker has taken it, with the state it left:
 * the adapter reacts to the promise it gave the breaker right after the
 * breaker's own reaction (registered after it, on the same promise). Traced
 * as the function settled instead, two results settling in one microtask
 * burst would both come before the transition the first one caused, a false
 * "must open". A breaker that runs the function later than inside `execute`
 * has its results traced as the function settles.
 */

import { checkOptions } from '../options/validate.js';
import { addGetters } from '../simulators/live-getters.js';
import type { Sim } from '../simulators/sim.js';
import type { TracedBreakerState } from '../trace/event-map.js';
import { BreakerRecorder, DECLARED_BREAKER_KEYS, type DeclaredBreakerConfig } from './breaker-recorder.js';

/** What `instrumentBreaker` needs of a breaker. */
export interface BreakerLike {
  execute<T>(fn: () => Promise<T>): Promise<T>;
  readonly state: 'closed' | 'open' | 'half-open' | (string & {});
}

/** The instrumented breaker: the same `execute` and `state`. */
export interface InstrumentedBreaker {
  execute<T>(fn: () => Promise<T> | T): Promise<T>;
  readonly state: string;
}

function traced(state: string): TracedBreakerState {
  return state === 'open' || state === 'half-open' || state === 'isolated' ? state : 'closed';
}

/**
 * Records a hand-written breaker's behaviour in the run's trace, with the
 * configuration it claims, so `invariants.breaker()` can judge it.
 *
 * @example
 * ```ts
 * const breaker = instrumentBreaker(sim, 'mine', new MyBreaker(3, 1000), {
 *   failureThreshold: 3, successThreshold: 1, timeout: 1000, maxConcurrentCalls: 1,
 * });
 * await breaker.execute(() => llm.call(prompt));
 * ```
 */
export function instrumentBreaker(
  sim: Pick<Sim, 'trace'>,
  name: string,
  breaker: BreakerLike,
  declared: DeclaredBreakerConfig,
): InstrumentedBreaker {
  checkOptions('instrumentBreaker', declared, DECLARED_BREAKER_KEYS, true);
  const recorder = new BreakerRecorder(sim.trace, name, declared, 'instrumentBreaker', traced(breaker.state));
  const instrumented = addGetters(
    {},
    { state: () => breaker.state },
    'instrumented breaker',
  ) as InstrumentedBreaker;
  instrumented.execute = async function execute<T>(fn: () => Promise<T> | T): Promise<T> {
    let call: { phase: number; state: TracedBreakerState } | undefined;
    let outcome: { error: unknown; failed: boolean } | undefined;
    /** Whether the breaker took the function's promise inside `execute`, so its reaction comes first. */
    let watched = false;
    const record = () => {
      if (call === undefined || outcome === undefined) return;
      recorder.settled(call, outcome.error, outcome.failed);
      outcome = undefined;
      recorder.observe(traced(breaker.state));
    };
    const settle = (error: unknown, failed: boolean) => {
      outcome = { error, failed };
      if (!watched) record();
    };
    let given: Promise<T> | undefined;
    const run = (): Promise<T> => {
      given = (async () => {
        recorder.observe(traced(breaker.state));
        call = recorder.admitted();
        let value: T;
        try {
          value = await fn();
        } catch (error) {
          settle(error, true);
          throw error;
        }
        settle(undefined, false);
        return value;
      })();
      return given;
    };
    let pending: Promise<T>;
    try {
      pending = breaker.execute(run);
    } catch (error) {
      pending = Promise.reject(error);
    }
    if (given !== undefined) {
      watched = true;
      given.then(record, record);
    }
    try {
      return await pending;
    } catch (error) {
      if (call === undefined) {
        recorder.observe(traced(breaker.state));
        recorder.rejected();
      }
      throw error;
    } finally {
      record();
      recorder.observe(traced(breaker.state));
    }
  };
  return instrumented;
}

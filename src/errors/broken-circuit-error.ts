import { FaultlineError, hasCode } from './faultline-error.js';

/** The breaker state that refused a call. */
export type BrokenCircuitState = 'open' | 'half-open' | 'isolated';

/**
 * A circuit breaker refused a call without running it: the breaker is open,
 * isolated, or half-open with every probe slot taken.
 *
 * @example
 * ```ts
 * try { await breaker.execute(call) } catch (e) { if (BrokenCircuitError.is(e)) useCache() }
 * ```
 */
export class BrokenCircuitError extends FaultlineError {
  /** Name of the breaker that refused the call. */
  readonly source: string;
  /** The state the breaker was in when it refused. */
  readonly state: BrokenCircuitState;

  constructor(source = 'breaker', state: BrokenCircuitState = 'open', options?: { cause?: unknown }) {
    const why =
      state === 'half-open'
        ? 'half-open and every probe slot is taken'
        : state === 'open'
          ? 'open'
          : 'isolated';
    super('BROKEN_CIRCUIT', `circuit breaker "${source}" is ${why}; the call was not made`, options);
    this.source = source;
    this.state = state;
  }

  static override is(value: unknown): value is BrokenCircuitError {
    return hasCode(value, 'BROKEN_CIRCUIT');
  }
}

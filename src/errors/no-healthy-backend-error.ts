import { FaultlineError, hasCode } from './faultline-error.js';

/** Why a backend could not take a call. */
export type BackendUnavailability = 'unhealthy' | 'ejected' | 'open' | 'tried';

/**
 * A load balancer had no eligible backend for a call: every backend is
 * unhealthy, ejected, behind an open breaker, or was already tried by this call.
 *
 * @example
 * ```ts
 * if (NoHealthyBackendError.is(error)) console.log(error.backends) // [{ name: 'a', reason: 'unhealthy' }, ...]
 * ```
 */
export class NoHealthyBackendError extends FaultlineError {
  /** Name of the load balancer. */
  readonly source: string;
  /** Every backend and why it was not eligible. */
  readonly backends: readonly { readonly name: string; readonly reason: BackendUnavailability }[];

  constructor(
    source = 'load-balancer',
    backends: readonly { name: string; reason: BackendUnavailability }[] = [],
    options?: { cause?: unknown },
  ) {
    const list = backends.map((b) => `${b.name}: ${b.reason}`).join(', ');
    super(
      'NO_HEALTHY_BACKEND',
      `load balancer "${source}" has no eligible backend${list === '' ? '' : ` (${list})`}`,
      options,
    );
    this.source = source;
    this.backends = backends;
  }

  static override is(value: unknown): value is NoHealthyBackendError {
    return hasCode(value, 'NO_HEALTHY_BACKEND');
  }
}

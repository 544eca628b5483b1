/*
 * Turns what an adapter observes of a breaker (calls admitted, results,
 * rejections, state changes) into faultline's breaker trace events, so that
 * `invariants.breaker()` judges any breaker. It numbers phases itself (one per
 * observed transition) and reports a call's result with the phase it was
 * admitted in. Results are reported when the call's function settles, before
 * the breaker sees them, and transitions as soon as they are observed, so the
 * trace keeps the order in which the breaker saw them.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, integerAtLeast, oneOf } from '../options/validate.js';
import { errorData } from '../resilience/options.js';
import { type Duration, duration } from '../time/duration.js';
import type { TraceSink } from '../trace/event.js';
import type { TracedBreakerState } from '../trace/event-map.js';

/** The configuration a breaker claims, declared for the invariants. */
export interface DeclaredBreakerConfig {
  failureThreshold: number;
  successThreshold: number;
  /** Open → half-open delay. */
  timeout: Duration;
  maxConcurrentCalls: number;
  /** `lazy` (default for observed breakers): the first call after the timeout half-opens it; `eager`: a timer does. */
  halfOpen?: 'eager' | 'lazy';
  /** `consecutive` (default) or `rate` (a failure-rate breaker: opening is not judged against a count). */
  mode?: 'consecutive' | 'rate';
}

export const DECLARED_BREAKER_KEYS = [
  'failureThreshold',
  'successThreshold',
  'timeout',
  'maxConcurrentCalls',
  'halfOpen',
  'mode',
];

export class BreakerRecorder {
  private state: TracedBreakerState;
  private phase = 0;

  constructor(
    private readonly trace: TraceSink,
    readonly name: string,
    declared: DeclaredBreakerConfig,
    owner: string,
    initial: TracedBreakerState = 'closed',
  ) {
    if (typeof name !== 'string' || name === '')
      throw new ConfigError(`${owner}(name)`, name, 'a non-empty string');
    const d = checkOptions(owner, declared, DECLARED_BREAKER_KEYS, true);
    const path = (k: string) => `${owner}({ ${k} })`;
    for (const k of ['failureThreshold', 'successThreshold', 'maxConcurrentCalls'] as const) {
      if (d[k] === undefined)
        throw new ConfigError(path(k), undefined, 'an integer >= 1 (the value the breaker claims)');
      integerAtLeast(path(k), d[k], 1);
    }
    if (d.timeout === undefined) throw new ConfigError(path('timeout'), undefined, 'a duration');
    this.state = initial;
    trace.emit('breaker.declared', name, {
      failureThreshold: d.failureThreshold!,
      successThreshold: d.successThreshold!,
      timeout: duration(d.timeout, path('timeout')),
      maxConcurrentCalls: d.maxConcurrentCalls!,
      mode: oneOf(path('mode'), d.mode ?? 'consecutive', ['consecutive', 'rate'] as const),
      halfOpen: oneOf(path('halfOpen'), d.halfOpen ?? 'lazy', ['eager', 'lazy'] as const),
    });
  }

  /** The breaker is now in `to` (from its events, or read from its `state`). */
  observe(to: TracedBreakerState, reason = 'observed'): void {
    if (to === this.state) return;
    const from = this.state;
    this.state = to;
    this.phase++;
    this.trace.emit('breaker.state', this.name, { from, to, reason });
  }

  /** A call was admitted (its function is running): returns the phase to report its result with. */
  admitted(): { phase: number; state: TracedBreakerState } {
    this.trace.emit('breaker.admitted', this.name, { state: this.state, phase: this.phase });
    return { phase: this.phase, state: this.state };
  }

  /** A call was rejected without running. */
  rejected(): void {
    this.trace.emit('breaker.rejected', this.name, { state: this.state });
  }

  /** Reports a call's result (as its function settles, before the breaker reacts). */
  settled(call: { phase: number; state: TracedBreakerState }, error: unknown, failed: boolean): void {
    if (failed) {
      this.trace.emit('breaker.failure', this.name, {
        state: call.state,
        phase: call.phase,
        error: errorData(error),
      });
    } else {
      this.trace.emit('breaker.success', this.name, { state: call.state, phase: call.phase });
    }
  }
}

/*
 * The circuit breaker (the seed's `[error_routing.circuit_breaker]`): closed →
 * open on `failureThreshold` consecutive failures (or a failure rate over a
 * sliding window), open → half-open at exactly `openedAt + timeout` on a clock
 * timer, half-open → closed after `successThreshold` probe successes, → open on
 * any probe failure. Results of calls admitted under an earlier state are
 * traced as late and change nothing.
 */
import { BrokenCircuitError } from '../errors/broken-circuit-error.js';
import { ConfigError } from '../errors/config-error.js';
import { hasCode } from '../errors/faultline-error.js';
import {
  booleanOption,
  checkOptions,
  durationMs,
  functionOption,
  integerAtLeast,
  numberInRange,
  oneOf,
  optionKeys,
} from '../options/validate.js';
import { abortReason, NEVER_ABORTED } from '../time/abort.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { Duration } from '../time/duration.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { DraftData, TraceEventMap } from '../trace/event-map.js';
import {
  type BreakerWindowOptions,
  CountWindow,
  createWindow,
  type OutcomeWindow,
  TimeWindow,
} from './breaker-window.js';
import { Listeners, type Unsubscribe } from './listeners.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';

/** Every key of `CircuitBreakerOptions` (unknown keys are a `ConfigError`). */
export const CIRCUIT_BREAKER_KEYS = optionKeys<CircuitBreakerOptions>()([
  ...POLICY_KEYS,
  'failureThreshold',
  'successThreshold',
  'timeout',
  'maxConcurrentCalls',
  'halfOpenMaxCalls',
  'mode',
  'window',
  'failureRateThreshold',
  'minimumCalls',
  'maxWaitInHalfOpen',
  'isFailure',
  'countBrokenCircuit',
]);

/** Breaker states. `isolated` is a manual open that never changes by itself. */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface CircuitBreakerOptions extends PolicyOptions {
  /** Consecutive failures that open the breaker (consecutive mode). Default 5. */
  failureThreshold?: number;
  /** Consecutive probe successes in half-open that close it. Default 3. */
  successThreshold?: number;
  /** How long it stays open before half-open (the seed's `timeout_ms`). Default `'30s'`. */
  timeout?: Duration;
  /** Probes admitted at once in half-open (the seed's `max_concurrent_calls`). Default 2. */
  maxConcurrentCalls?: number;
  /** Alias of `maxConcurrentCalls` (the seed's Go code: `half_open_max_calls`). */
  halfOpenMaxCalls?: number;
  /** `'consecutive'` (default) or `'rate'` (resilience4j-style sliding window). */
  mode?: 'consecutive' | 'rate';
  /** Rate mode window. Default `{ type: 'count', size: 100 }`. */
  window?: BreakerWindowOptions;
  /** Rate mode: opens when failures / calls ≥ this, in [0, 1]. Default 0.5. */
  failureRateThreshold?: number;
  /** Rate mode: calls the window must hold before the rate is judged. Default 100 (capped at a count window's size). */
  minimumCalls?: number;
  /** Longest stay in half-open; when it passes the breaker reopens (resilience4j). Default: no limit. */
  maxWaitInHalfOpen?: Duration;
  /** Which errors count as failures; an error it rejects counts as a success. Default: every error. */
  isFailure?: (error: unknown) => boolean;
  /** Whether a `BrokenCircuitError` from a nested breaker counts as a failure. Default false: it is ignored. */
  countBrokenCircuit?: boolean;
}

/** Event payloads for `breaker.on(...)`. */
export interface CircuitBreakerEvents extends Record<string, unknown> {
  stateChange: { from: CircuitState; to: CircuitState; reason: string };
  success: { state: CircuitState };
  failure: { state: CircuitState; error: unknown };
  rejected: { state: CircuitState; error: BrokenCircuitError };
}

/** A point-in-time snapshot of a breaker. */
export interface CircuitBreakerMetrics {
  name: string;
  state: CircuitState;
  /** Increments on every state change (and on `reset()`); calls from older generations are late. */
  generation: number;
  consecutiveFailures: number;
  /** Probe successes so far in the current half-open period. */
  probeSuccesses: number;
  probesInFlight: number;
  /** Calls admitted and not yet settled. */
  inFlight: number;
  /** When the breaker last opened (or was isolated), while open / half-open / isolated. */
  openedAt: number | undefined;
  /** When an open breaker becomes half-open. */
  halfOpenAt: number | undefined;
  admitted: number;
  rejected: number;
  successes: number;
  failures: number;
  /** Errors that counted as neither (nested `BrokenCircuitError`). */
  ignored: number;
  /** Results of calls admitted under an earlier generation. */
  late: number;
  stateChanges: number;
  /** Rate mode: calls and failure rate in the window now. */
  windowCalls?: number;
  failureRate?: number;
}

/** Returned by `isolate()`: `release()` closes the breaker again if that isolation is still in force. */
export interface IsolationHandle {
  release(): void;
}

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;
const ISOLATED = 3;
type Code = 0 | 1 | 2 | 3;
const NAMES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'isolated'];
/** Trace data `{ state }` per state, shared and frozen (trace data is read-only). */
const STATE_DATA: readonly { readonly state: CircuitState }[] = NAMES.map((state) =>
  Object.freeze({ state }),
);

const SUCCESS = 0;
const FAILURE = 1;
const IGNORED = 2;
type Verdict = 0 | 1 | 2;
const VERDICT_NAMES = ['success', 'failure', 'ignored'] as const;

/**
 * A circuit breaker bound to a clock. Create it with `circuitBreaker(options)`.
 * Subscribe with `on('stateChange' | 'success' | 'failure' | 'rejected', listener)`,
 * which returns an unsubscribe function.
 */
export class CircuitBreaker {
  readonly name: string;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly timeoutMs: number;
  readonly maxConcurrentCalls: number;
  readonly mode: 'consecutive' | 'rate';
  readonly failureRateThreshold: number;
  readonly minimumCalls: number;
  readonly maxWaitInHalfOpenMs: number | undefined;

  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  private readonly isFailure: ((error: unknown) => boolean) | undefined;
  private readonly countBrokenCircuit: boolean;
  private readonly window: OutcomeWindow | undefined;
  private readonly listeners = new Listeners<CircuitBreakerEvents>();

  private code: Code = CLOSED;
  private generation = 0;
  private consecutiveFailures = 0;
  private probeSuccesses = 0;
  private probesInFlight = 0;
  private inFlight = 0;
  private openedAt: number | undefined;
  private halfOpenAt: number | undefined;
  private timer: TimerHandle | undefined;
  private admitted = 0;
  private rejected = 0;
  private successes = 0;
  private failures = 0;
  private ignored = 0;
  private late = 0;
  private stateChanges = 0;
  /**
   * Trace data `{ state, phase }` of the current generation, one frozen object per
   * state, rebuilt when the generation changes: `breaker.admitted` and
   * `breaker.success` come with nearly every call, and a long traced run then
   * keeps no small object per event alive. `phase` (the generation a call was
   * admitted in) lets an invariant tell late results from current ones.
   */
  private phaseData: readonly { readonly state: CircuitState; readonly phase: number }[] = [];
  private phaseGeneration = -1;

  constructor(raw?: CircuitBreakerOptions) {
    const options = checkOptions('circuitBreaker', raw, CIRCUIT_BREAKER_KEYS);
    this.name = policyName('circuitBreaker', options.name, 'breaker');
    this.clock = options.clock ?? realClock;
    // options.random is accepted for uniformity with the other factories: a breaker draws no random numbers.
    this.trace = options.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.failureThreshold = integerAtLeast('failureThreshold', options.failureThreshold ?? 5, 1);
    this.successThreshold = integerAtLeast('successThreshold', options.successThreshold ?? 3, 1);
    this.timeoutMs = durationMs('timeout', options.timeout, 30_000);
    if (
      options.maxConcurrentCalls !== undefined &&
      options.halfOpenMaxCalls !== undefined &&
      options.maxConcurrentCalls !== options.halfOpenMaxCalls
    ) {
      throw new ConfigError(
        'halfOpenMaxCalls',
        options.halfOpenMaxCalls,
        `the same value as its alias maxConcurrentCalls (${options.maxConcurrentCalls}), or only one of them`,
      );
    }
    this.maxConcurrentCalls = integerAtLeast(
      options.maxConcurrentCalls !== undefined ? 'maxConcurrentCalls' : 'halfOpenMaxCalls',
      options.maxConcurrentCalls ?? options.halfOpenMaxCalls ?? 2,
      1,
    );
    this.mode = oneOf('mode', options.mode ?? 'consecutive', ['consecutive', 'rate'] as const);
    this.failureRateThreshold = numberInRange(
      'failureRateThreshold',
      options.failureRateThreshold ?? 0.5,
      0,
      1,
    );
    const windowOptions = options.window ?? { type: 'count', size: 100 };
    let minimumCalls = integerAtLeast('minimumCalls', options.minimumCalls ?? 100, 1);
    if (windowOptions.type === 'count' && options.minimumCalls === undefined) {
      minimumCalls = Math.min(minimumCalls, windowOptions.size);
    }
    this.minimumCalls = minimumCalls;
    this.window = this.mode === 'rate' ? createWindow(windowOptions) : undefined;
    this.maxWaitInHalfOpenMs =
      options.maxWaitInHalfOpen === undefined
        ? undefined
        : durationMs('maxWaitInHalfOpen', options.maxWaitInHalfOpen, 0);
    this.isFailure = functionOption<(error: unknown) => boolean>('isFailure', options.isFailure);
    this.countBrokenCircuit = booleanOption('countBrokenCircuit', options.countBrokenCircuit, false);
    if (this.tracing) this.trace.emit('breaker.declared', this.name, this.declaration());
  }

  /** The normalized configuration, as traced in `breaker.declared` (durations in ms). */
  declaration(): TraceEventMap['breaker.declared'] {
    const d: DraftData<'breaker.declared'> = {
      failureThreshold: this.failureThreshold,
      successThreshold: this.successThreshold,
      timeout: this.timeoutMs,
      maxConcurrentCalls: this.maxConcurrentCalls,
      mode: this.mode,
      halfOpen: 'eager',
    };
    if (this.mode === 'rate') {
      d.failureRateThreshold = this.failureRateThreshold;
      d.minimumCalls = this.minimumCalls;
      const w = this.window;
      if (w instanceof CountWindow) d.window = { type: 'count', size: w.size };
      else if (w instanceof TimeWindow) d.window = { type: 'time', duration: w.durationMs };
    }
    if (this.maxWaitInHalfOpenMs !== undefined) d.maxWaitInHalfOpen = this.maxWaitInHalfOpenMs;
    return d;
  }

  private phaseOf(code: Code): { readonly state: CircuitState; readonly phase: number } {
    if (this.phaseGeneration !== this.generation) {
      const phase = this.generation;
      this.phaseData = NAMES.map((state) => Object.freeze({ state, phase }));
      this.phaseGeneration = phase;
    }
    return this.phaseData[code]!;
  }

  /** The current state. An open breaker whose timeout has passed reports (and becomes) half-open. */
  get state(): CircuitState {
    if (this.code === OPEN) this.halfOpenIfDue();
    return NAMES[this.code]!;
  }

  /**
   * Runs `fn` through the breaker. Closed: runs it. Open or isolated: rejects with
   * `BrokenCircuitError` without calling it. Half-open: runs it as a probe if fewer
   * than `maxConcurrentCalls` probes are running, else rejects. An already aborted
   * `signal` rejects with its reason before anything is admitted.
   *
   * @example
   * ```ts
   * const answer = await breaker.execute((signal) => fetch(url, { signal }));
   * ```
   */
  async execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortReason(signal);
    if (this.code !== CLOSED) return this.executeGuarded(fn, signal);
    // Closed fast path: no allocation besides the async frame.
    const generation = this.generation;
    this.admitted++;
    this.inFlight++;
    if (this.tracing) this.trace.emit('breaker.admitted', this.name, this.phaseOf(CLOSED));
    let value: T;
    try {
      value = await fn(signal ?? NEVER_ABORTED);
    } catch (error) {
      this.inFlight--;
      this.settle(this.verdictOf(error), generation, CLOSED, error);
      throw error;
    }
    this.inFlight--;
    this.settle(SUCCESS, generation, CLOSED, undefined);
    return value;
  }

  /**
   * Opens the breaker by hand until `reset()` (or the handle's `release()`); it never
   * half-opens by itself while isolated.
   *
   * @example
   * ```ts
   * const handle = breaker.isolate(); // maintenance window
   * handle.release();
   * ```
   */
  isolate(): IsolationHandle {
    if (this.code !== ISOLATED) this.transition(ISOLATED, 'isolate');
    const generation = this.generation;
    return {
      release: () => {
        if (this.code === ISOLATED && this.generation === generation) this.transition(CLOSED, 'release');
      },
    };
  }

  /** Closes the breaker and clears its counters; results of calls admitted before are late. */
  reset(): void {
    if (this.code !== CLOSED) {
      this.transition(CLOSED, 'reset');
      return;
    }
    this.generation++;
    this.consecutiveFailures = 0;
    this.window?.reset();
    // Traced so that a trace alone tells calls admitted before the reset (late) from those after.
    if (this.tracing)
      this.trace.emit('breaker.state', this.name, { from: 'closed', to: 'closed', reason: 'reset' });
  }

  /**
   * Subscribes to `stateChange`, `success`, `failure` or `rejected`. Returns the
   * unsubscribe function. Listeners run synchronously; one that throws is traced
   * (`breaker.listener-error`) and does not affect the breaker.
   *
   * @example
   * ```ts
   * const off = breaker.on('stateChange', ({ from, to }) => log(`${from} -> ${to}`));
   * ```
   */
  on<K extends keyof CircuitBreakerEvents>(
    event: K,
    listener: (data: CircuitBreakerEvents[K]) => void,
  ): Unsubscribe {
    return this.listeners.on(event, listener);
  }

  /** A snapshot of state and counters. */
  metrics(): CircuitBreakerMetrics {
    const state = this.state;
    const m: CircuitBreakerMetrics = {
      name: this.name,
      state,
      generation: this.generation,
      consecutiveFailures: this.consecutiveFailures,
      probeSuccesses: this.probeSuccesses,
      probesInFlight: this.probesInFlight,
      inFlight: this.inFlight,
      openedAt: this.openedAt,
      halfOpenAt: this.halfOpenAt,
      admitted: this.admitted,
      rejected: this.rejected,
      successes: this.successes,
      failures: this.failures,
      ignored: this.ignored,
      late: this.late,
      stateChanges: this.stateChanges,
    };
    if (this.window) {
      const now = this.clock.now();
      const calls = this.window.calls(now);
      m.windowCalls = calls;
      m.failureRate = calls === 0 ? 0 : this.window.failures(now) / calls;
    }
    return m;
  }

  private async executeGuarded<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.code === OPEN) this.halfOpenIfDue();
    const code = this.code;
    if (code === CLOSED) return this.execute(fn, signal);
    if (code !== HALF_OPEN || this.probesInFlight >= this.maxConcurrentCalls) throw this.reject(code);
    const generation = this.generation;
    this.probesInFlight++;
    this.admitted++;
    this.inFlight++;
    if (this.tracing) {
      this.trace.emit('breaker.admitted', this.name, {
        state: 'half-open',
        phase: generation,
        probe: this.probesInFlight,
      });
    }
    let value: T;
    try {
      value = await fn(signal ?? NEVER_ABORTED);
    } catch (error) {
      this.inFlight--;
      this.settle(this.verdictOf(error), generation, HALF_OPEN, error);
      throw error;
    }
    this.inFlight--;
    this.settle(SUCCESS, generation, HALF_OPEN, undefined);
    return value;
  }

  private reject(code: Code): BrokenCircuitError {
    const state = NAMES[code] as 'open' | 'half-open' | 'isolated';
    const error = new BrokenCircuitError(this.name, state);
    this.rejected++;
    if (this.tracing) this.trace.emit('breaker.rejected', this.name, STATE_DATA[code]!);
    if (this.listeners.count > 0) this.emit('rejected', { state, error });
    return error;
  }

  private verdictOf(error: unknown): Verdict {
    if (!this.countBrokenCircuit && hasCode(error, 'BROKEN_CIRCUIT')) return IGNORED;
    if (this.isFailure !== undefined && !this.isFailure(error)) return SUCCESS;
    return FAILURE;
  }

  private settle(verdict: Verdict, generation: number, admittedIn: Code, error: unknown): void {
    if (generation !== this.generation) {
      this.late++;
      if (this.tracing) {
        const data: DraftData<'breaker.late'> = {
          outcome: VERDICT_NAMES[verdict],
          admittedIn: NAMES[admittedIn]!,
          phase: generation,
        };
        if (verdict !== SUCCESS || error !== undefined) data.error = errorData(error);
        this.trace.emit('breaker.late', this.name, data);
      }
      return;
    }
    const state = NAMES[admittedIn]!;
    if (verdict === IGNORED) {
      this.ignored++;
      if (admittedIn === HALF_OPEN) this.probesInFlight--;
      if (this.tracing)
        this.trace.emit('breaker.ignored', this.name, { state, phase: generation, error: errorData(error) });
      return;
    }
    if (verdict === SUCCESS) {
      this.successes++;
      if (this.tracing) {
        this.trace.emit(
          'breaker.success',
          this.name,
          error === undefined
            ? this.phaseOf(admittedIn)
            : { state, phase: generation, error: errorData(error) },
        );
      }
      if (this.listeners.count > 0) this.emit('success', { state });
      if (admittedIn === CLOSED) {
        this.consecutiveFailures = 0;
        if (this.window !== undefined) this.recordInWindow(false);
      } else {
        this.probesInFlight--;
        this.probeSuccesses++;
        if (this.probeSuccesses >= this.successThreshold) this.transition(CLOSED, 'probe-successes');
      }
      return;
    }
    this.failures++;
    if (admittedIn === CLOSED) this.consecutiveFailures++;
    if (this.tracing) {
      this.trace.emit('breaker.failure', this.name, {
        state,
        phase: generation,
        error: errorData(error),
        consecutiveFailures: this.consecutiveFailures,
      });
    }
    if (this.listeners.count > 0) this.emit('failure', { state, error });
    if (admittedIn === HALF_OPEN) {
      this.probesInFlight--;
      this.transition(OPEN, 'probe-failure');
    } else if (this.window !== undefined) {
      this.recordInWindow(true);
    } else if (this.consecutiveFailures >= this.failureThreshold) {
      this.transition(OPEN, 'failure-threshold');
    }
  }

  private recordInWindow(failed: boolean): void {
    const window = this.window!;
    const now = this.clock.now();
    window.record(failed, now);
    const calls = window.calls(now);
    if (calls >= this.minimumCalls && window.failures(now) / calls >= this.failureRateThreshold) {
      this.transition(OPEN, 'failure-rate');
    }
  }

  private halfOpenIfDue(): void {
    if (this.halfOpenAt !== undefined && this.clock.now() >= this.halfOpenAt)
      this.transition(HALF_OPEN, 'timeout');
  }

  private transition(to: Code, reason: string): void {
    const from = this.code;
    this.code = to;
    const generation = ++this.generation;
    this.stateChanges++;
    this.timer?.cancel();
    this.timer = undefined;
    this.probesInFlight = 0;
    this.probeSuccesses = 0;
    this.halfOpenAt = undefined;
    if (to === OPEN) {
      this.openedAt = this.clock.now();
      this.halfOpenAt = this.openedAt + this.timeoutMs;
      this.timer = this.clock.setTimer(this.timeoutMs, () => {
        if (this.generation === generation) this.transition(HALF_OPEN, 'timeout');
      });
    } else if (to === HALF_OPEN) {
      const maxWait = this.maxWaitInHalfOpenMs;
      if (maxWait !== undefined) {
        this.timer = this.clock.setTimer(maxWait, () => {
          if (this.generation === generation) this.transition(OPEN, 'half-open-max-wait');
        });
      }
    } else if (to === ISOLATED) {
      this.openedAt = this.clock.now();
    } else {
      this.openedAt = undefined;
      this.consecutiveFailures = 0;
      this.window?.reset();
    }
    if (this.tracing)
      this.trace.emit('breaker.state', this.name, { from: NAMES[from]!, to: NAMES[to]!, reason });
    if (this.listeners.count > 0) this.emit('stateChange', { from: NAMES[from]!, to: NAMES[to]!, reason });
  }

  private emit<K extends keyof CircuitBreakerEvents>(event: K, data: CircuitBreakerEvents[K]): void {
    this.listeners.emit(event, data, (error) => {
      if (this.tracing)
        this.trace.emit('breaker.listener-error', this.name, {
          event: String(event),
          error: errorData(error),
        });
    });
  }
}

/**
 * Creates a circuit breaker. Defaults follow the seed's reference config:
 * `failureThreshold` 5, `successThreshold` 3, `timeout` 30 s, `maxConcurrentCalls` 2.
 *
 * @example
 * ```ts
 * const breaker = circuitBreaker({ failureThreshold: 5, successThreshold: 3, timeout: '30s', maxConcurrentCalls: 2 });
 * const text = await breaker.execute((signal) => llm.complete(prompt, { signal }));
 * breaker.state; // 'closed' | 'open' | 'half-open' | 'isolated'
 * ```
 */
export function circuitBreaker(options?: CircuitBreakerOptions): CircuitBreaker {
  return new CircuitBreaker(options);
}

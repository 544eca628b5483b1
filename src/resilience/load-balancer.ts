/*
 * The load balancer (the seed's `[mcp.production] load_balancing`): picks an
 * eligible backend with a strategy (see `balancing-strategy.ts`) and calls the
 * function with it. A backend is eligible unless an active health check marked
 * it unhealthy, outlier ejection ejected it, or its own breaker (with the
 * `breaker` option) is open or isolated. A failed call fails over to another
 * eligible backend not yet tried by this call, at most `maxFailover` times.
 * With no eligible backend the call rejects with `NoHealthyBackendError`.
 */
import { ConfigError } from '../errors/config-error.js';
import { hasCode } from '../errors/faultline-error.js';
import { type BackendUnavailability, NoHealthyBackendError } from '../errors/no-healthy-backend-error.js';
import {
  checkOptions,
  finiteAtLeast,
  functionOption,
  integerAtLeast,
  oneOf,
  optionPath,
} from '../options/validate.js';
import { mathRandom } from '../random/math-random.js';
import { abortReason, NEVER_ABORTED } from '../time/abort.js';
import type { Clock } from '../time/clock.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { DraftData, TracedError } from '../trace/event-map.js';
import { LOAD_BALANCING_STRATEGIES, type LoadBalancingStrategy } from './agentflow-schema.js';
import { type BalancingStrategy, createStrategy } from './balancing-strategy.js';
import { type CircuitBreaker, type CircuitBreakerOptions, circuitBreaker } from './circuit-breaker.js';
import {
  HealthChecker,
  type HealthCheckOptions,
  type HealthCheckSettings,
  healthCheckSettings,
} from './health-checker.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';
import {
  OutlierEjection,
  type OutlierEjectionOptions,
  type OutlierEjectionSettings,
  outlierEjectionSettings,
} from './outlier-ejection.js';

/** Anything with a unique `name`: a `Service`, an `Agent`, or `{ name, ... }`. */
export interface Backend {
  readonly name: string;
}

export interface LoadBalancerOptions<B extends Backend = Backend> extends PolicyOptions {
  /** The backends, each with a unique `name`. Required, at least one. */
  backends: readonly B[];
  /** Default `'round_robin'`. */
  strategy?: LoadBalancingStrategy;
  /** `weighted` only: weight per backend name (finite > 0). Missing names weigh 1. */
  weights?: Readonly<Record<string, number>>;
  /** Active health checks on the clock; unhealthy backends get no traffic. */
  healthCheck?: HealthCheckOptions<B>;
  /** Passive outlier ejection (Envoy-style). */
  outlierEjection?: OutlierEjectionOptions;
  /** A circuit breaker per backend with these options (`circuit_breaker_enabled`); an open one is skipped. */
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'clock' | 'trace'>;
  /** Further backends tried after a failure (integer ≥ 0). Default 1. */
  maxFailover?: number;
  /** Which errors count as backend failures (ejection, score, failover). Default: every error. */
  isFailure?: (error: unknown) => boolean;
}

/** Per-backend state in `metrics()`. */
export interface BackendMetrics {
  name: string;
  healthy: boolean;
  ejected: boolean;
  breaker: string | undefined;
  inFlight: number;
  calls: number;
  failures: number;
  successRate: number;
  latencyMs: number;
}

const KEYS = [
  ...POLICY_KEYS,
  'backends',
  'strategy',
  'weights',
  'healthCheck',
  'outlierEjection',
  'breaker',
  'maxFailover',
  'isFailure',
];
const EMA_ALPHA = 0.1;
const OWNER = 'loadBalancer';

/**
 * A load balancer over named backends, bound to a clock. Create it with
 * `loadBalancer(options)`. Call `close()` when done if it runs health checks or
 * ejects backends, so that no timer is left pending.
 */
export class LoadBalancer<B extends Backend = Backend> {
  readonly name: string;
  readonly backends: readonly B[];
  readonly strategy: LoadBalancingStrategy;
  readonly maxFailover: number;
  readonly weights: readonly number[];
  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  private readonly picker: BalancingStrategy;
  private readonly health: HealthChecker<B> | undefined;
  private readonly outliers: OutlierEjection | undefined;
  private readonly breakers: CircuitBreaker[] | undefined;
  private readonly isFailure: ((error: unknown) => boolean) | undefined;
  private readonly inFlight: number[];
  private readonly successRate: number[];
  private readonly latencyMs: number[];
  private readonly callCount: number[];
  private readonly failureCount: number[];
  private readonly eligible: (i: number) => boolean;
  private calls = 0;
  /** Whether call durations are measured: for `performance_based` and for the trace. */
  private readonly timing: boolean;

  constructor(options: LoadBalancerOptions<B>) {
    const o = checkOptions(OWNER, options, KEYS, true);
    this.name = policyName(OWNER, o.name, 'load-balancer');
    this.clock = o.clock ?? realClock;
    this.trace = o.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.backends = checkBackends(o.backends);
    const n = this.backends.length;
    this.strategy = oneOf(
      optionPath(OWNER, 'strategy'),
      o.strategy ?? 'round_robin',
      LOAD_BALANCING_STRATEGIES,
    );
    this.weights = checkWeights(o.weights, this.backends, this.strategy);
    this.maxFailover = integerAtLeast(optionPath(OWNER, 'maxFailover'), o.maxFailover ?? 1, 0);
    this.isFailure = functionOption(optionPath(OWNER, 'isFailure'), o.isFailure);
    this.inFlight = new Array<number>(n).fill(0);
    this.successRate = new Array<number>(n).fill(1);
    this.latencyMs = new Array<number>(n).fill(0);
    this.callCount = new Array<number>(n).fill(0);
    this.failureCount = new Array<number>(n).fill(0);
    this.picker = createStrategy(
      this.strategy,
      this.weights,
      { inFlight: this.inFlight, successRate: this.successRate, latencyMs: this.latencyMs },
      o.random ?? mathRandom,
    );
    const declared: DraftData<'load-balancer.declared'> = {
      strategy: this.strategy,
      backends: this.backends.map((b) => b.name),
      maxFailover: this.maxFailover,
    };
    if (this.strategy === 'weighted') {
      declared.weights = Object.fromEntries(this.backends.map((b, i) => [b.name, this.weights[i]]));
    }
    if (o.breaker !== undefined) {
      if (typeof o.breaker !== 'object' || o.breaker === null) {
        throw new ConfigError(optionPath(OWNER, 'breaker'), o.breaker, 'circuit breaker options');
      }
      this.breakers = this.backends.map((b) =>
        circuitBreaker({
          ...o.breaker,
          name: `${this.name}/${b.name}`,
          clock: this.clock,
          trace: this.trace,
        }),
      );
      declared.breakers = Object.fromEntries(this.backends.map((b, i) => [b.name, this.breakers![i]!.name]));
    }
    if (o.outlierEjection !== undefined) {
      const settings = outlierEjectionSettings(o.outlierEjection, n);
      this.outliers = new OutlierEjection(n, settings, this.clock, (i) => {
        if (this.tracing)
          this.trace.emit('load-balancer.returned', this.name, { backend: this.backends[i]!.name });
      });
      declared.outlierEjection = { ...settings };
    }
    if (o.healthCheck !== undefined) {
      const { settings, check } = healthCheckSettings(o.healthCheck);
      declared.healthCheck = { ...settings };
      this.health = new HealthChecker(this.backends, settings, check, this.clock, (i, ok, error, changed) =>
        this.healthReport(i, ok, error, changed),
      );
    }
    this.timing = this.strategy === 'performance_based' || this.tracing;
    this.eligible =
      this.health === undefined && this.outliers === undefined && this.breakers === undefined
        ? () => true
        : (i) => this.isEligible(i);
    if (this.tracing) this.trace.emit('load-balancer.declared', this.name, declared);
  }

  /**
   * Picks a backend and runs `fn(backend, signal)` (through the backend's breaker
   * when there is one). A failure fails over to another eligible backend not yet
   * tried by this call, at most `maxFailover` times; then the last error is
   * rethrown. No eligible backend at all: `NoHealthyBackendError`.
   *
   * @example
   * ```ts
   * const lb = loadBalancer({ backends: [east, west], strategy: 'round_robin' });
   * const answer = await lb.execute((backend, signal) => backend.call(prompt, { signal }));
   * ```
   */
  execute<T>(fn: (backend: B, signal: AbortSignal) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const call = this.calls++;
    const i = this.picker.pick(this.eligible);
    if (i < 0) return Promise.reject(this.noBackend(call, 0));
    return this.attempt(fn, signal, call, i, 0, undefined);
  }

  /** The backend's circuit breaker, when the `breaker` option is set. */
  breakerOf(name: string): CircuitBreaker | undefined {
    const i = this.backends.findIndex((b) => b.name === name);
    return i < 0 ? undefined : this.breakers?.[i];
  }

  /** Per-backend health, ejection, load and score. */
  metrics(): BackendMetrics[] {
    return this.backends.map((b, i) => ({
      name: b.name,
      healthy: this.health?.isHealthy(i) ?? true,
      ejected: this.outliers?.isEjected(i) ?? false,
      breaker: this.breakers?.[i]?.state,
      inFlight: this.inFlight[i]!,
      calls: this.callCount[i]!,
      failures: this.failureCount[i]!,
      successRate: this.successRate[i]!,
      latencyMs: this.latencyMs[i]!,
    }));
  }

  /** Stops health checks and ejection timers (ejected backends return). Calls keep working. */
  close(): void {
    this.health?.stop();
    this.outliers?.stop();
  }

  private isEligible(i: number): boolean {
    if (this.health !== undefined && !this.health.isHealthy(i)) return false;
    if (this.outliers?.isEjected(i)) return false;
    if (this.breakers !== undefined) {
      const state = this.breakers[i]!.state;
      if (state === 'open' || state === 'isolated') return false;
    }
    return true;
  }

  private attempt<T>(
    fn: (backend: B, signal: AbortSignal) => T | PromiseLike<T>,
    signal: AbortSignal | undefined,
    call: number,
    i: number,
    attempt: number,
    tried: boolean[] | undefined,
  ): Promise<T> {
    const backend = this.backends[i]!;
    this.inFlight[i]!++;
    this.callCount[i]!++;
    const started = this.timing ? this.clock.now() : 0;
    if (this.tracing) {
      const data: DraftData<'load-balancer.picked'> = { call, backend: backend.name, attempt };
      if (tried !== undefined) data.tried = this.backends.filter((_, k) => tried[k]).map((b) => b.name);
      this.trace.emit('load-balancer.picked', this.name, data);
    }
    let work: Promise<T>;
    const breaker = this.breakers?.[i];
    if (breaker !== undefined) {
      work = breaker.execute((s) => fn(backend, s), signal);
    } else {
      try {
        work = Promise.resolve(fn(backend, signal ?? NEVER_ABORTED));
      } catch (error) {
        work = Promise.reject(error);
      }
    }
    // One derived promise and no async frame on the way through.
    return work.then(
      (value) => {
        this.inFlight[i]!--;
        this.succeeded(call, i, started);
        return value;
      },
      (error: unknown) => this.failover(fn, signal, call, i, attempt, tried, error, started),
    );
  }

  /** After a failed attempt: records it, then the next backend's attempt or the error. */
  private failover<T>(
    fn: (backend: B, signal: AbortSignal) => T | PromiseLike<T>,
    signal: AbortSignal | undefined,
    call: number,
    i: number,
    attempt: number,
    tried: boolean[] | undefined,
    error: unknown,
    started: number,
  ): Promise<T> {
    this.inFlight[i]!--;
    if (!this.failed(call, i, error, started)) throw error;
    if (signal?.aborted || attempt >= this.maxFailover) throw error;
    const next = tried ?? new Array<boolean>(this.backends.length).fill(false);
    next[i] = true;
    const j = this.picker.pick((k) => !next[k] && this.isEligible(k));
    if (j < 0) {
      this.noBackend(call, attempt + 1);
      throw error;
    }
    return this.attempt(fn, signal, call, j, attempt + 1, next);
  }

  private succeeded(call: number, i: number, started: number): void {
    this.successRate[i]! += EMA_ALPHA * (1 - this.successRate[i]!);
    this.outliers?.success(i);
    if (!this.timing) return;
    const latency = this.timing ? this.clock.now() - started : 0;
    if (this.timing)
      this.latencyMs[i] =
        this.callCount[i] === 1 ? latency : this.latencyMs[i]! + EMA_ALPHA * (latency - this.latencyMs[i]!);
    if (this.tracing) {
      this.trace.emit('load-balancer.success', this.name, { call, backend: this.backends[i]!.name, latency });
    }
  }

  /** Records a failed call; false when the error does not count as a backend failure (no failover). */
  private failed(call: number, i: number, error: unknown, started: number): boolean {
    const name = this.backends[i]!.name;
    const rejectedByBreaker = hasCode(error, 'BROKEN_CIRCUIT') && this.breakers !== undefined;
    if (!rejectedByBreaker && this.isFailure !== undefined && !this.isFailure(error)) {
      this.succeeded(call, i, started);
      return false;
    }
    if (this.tracing) {
      this.trace.emit('load-balancer.failure', this.name, {
        call,
        backend: name,
        error: errorData(error),
        counted: !rejectedByBreaker,
      });
    }
    if (rejectedByBreaker) return true;
    this.failureCount[i]!++;
    this.successRate[i]! += EMA_ALPHA * (0 - this.successRate[i]!);
    const latency = this.timing ? this.clock.now() - started : 0;
    if (this.timing)
      this.latencyMs[i] =
        this.callCount[i] === 1 ? latency : this.latencyMs[i]! + EMA_ALPHA * (latency - this.latencyMs[i]!);
    const verdict = this.outliers?.failure(i);
    if (verdict !== undefined && this.tracing) {
      if (verdict.kind === 'ejected') {
        this.trace.emit('load-balancer.ejected', this.name, {
          backend: name,
          times: verdict.times,
          duration: verdict.durationMs,
          until: verdict.until,
          ejected: this.outliers!.ejected,
        });
      } else if (verdict.kind === 'skipped') {
        this.trace.emit('load-balancer.ejection-skipped', this.name, {
          backend: name,
          ejected: verdict.ejected,
          maxEjected: this.outliers!.settings.maxEjected,
        });
      }
    }
    return true;
  }

  private healthReport(i: number, ok: boolean, error: unknown, changed: boolean): void {
    if (!this.tracing) return;
    const backend = this.backends[i]!.name;
    const data: DraftData<'load-balancer.health-check'> = { backend, ok };
    if (!ok && error !== undefined) data.error = errorData(error);
    this.trace.emit('load-balancer.health-check', this.name, data);
    if (changed) this.trace.emit('load-balancer.health', this.name, { backend, healthy: ok });
  }

  private noBackend(call: number, attempt: number): NoHealthyBackendError {
    const reasons = this.backends.map((b, i) => ({ name: b.name, reason: this.unavailability(i) }));
    if (this.tracing) {
      this.trace.emit('load-balancer.no-backend', this.name, {
        call,
        attempt,
        backends: reasons.map((r) => ({ ...r })),
      });
    }
    return new NoHealthyBackendError(this.name, reasons);
  }

  private unavailability(i: number): BackendUnavailability {
    if (this.health !== undefined && !this.health.isHealthy(i)) return 'unhealthy';
    if (this.outliers?.isEjected(i)) return 'ejected';
    if (this.breakers !== undefined) {
      const state = this.breakers[i]!.state;
      if (state === 'open' || state === 'isolated') return 'open';
    }
    return 'tried';
  }
}

function checkBackends<B extends Backend>(backends: unknown): readonly B[] {
  const path = optionPath(OWNER, 'backends');
  if (!Array.isArray(backends) || backends.length === 0) {
    throw new ConfigError(path, backends, 'a non-empty array of backends, each with a unique name');
  }
  const seen = new Set<string>();
  for (const b of backends) {
    const name = (b as Partial<Backend> | null)?.name;
    if (typeof name !== 'string' || name === '') {
      throw new ConfigError(path, b, 'backends with a non-empty string `name`');
    }
    if (seen.has(name)) throw new ConfigError(path, name, 'backends with unique names');
    seen.add(name);
  }
  return [...backends] as B[];
}

function checkWeights(
  weights: unknown,
  backends: readonly Backend[],
  strategy: LoadBalancingStrategy,
): readonly number[] {
  const path = optionPath(OWNER, 'weights');
  if (weights === undefined) return backends.map(() => 1);
  if (strategy !== 'weighted')
    throw new ConfigError(path, weights, "no weights unless strategy is 'weighted'");
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
    throw new ConfigError(path, weights, 'an object of backend name → weight');
  }
  const names = new Set(backends.map((b) => b.name));
  for (const key of Object.keys(weights)) {
    if (!names.has(key))
      throw new ConfigError(
        optionPath(OWNER, `weights.${key}`),
        (weights as Record<string, unknown>)[key],
        `a backend name (${[...names].join(', ')})`,
      );
  }
  return backends.map((b) => {
    const w = (weights as Record<string, unknown>)[b.name];
    if (w === undefined) return 1;
    const at = optionPath(OWNER, `weights.${b.name}`);
    finiteAtLeast(at, w, 0);
    if ((w as number) <= 0) throw new ConfigError(at, w, 'a finite number > 0');
    return w as number;
  });
}

/**
 * Creates a load balancer. Strategies: `'round_robin'` (default, from the first
 * backend), `'weighted'`, `'least_connections'`, `'random'` (seeded),
 * `'performance_based'`.
 *
 * @example
 * ```ts
 * const lb = loadBalancer({
 *   backends: [a, b, c],
 *   strategy: 'round_robin',
 *   healthCheck: { interval: '10s', check: (s) => s.call('ping').then(() => true, () => false) },
 *   outlierEjection: { consecutiveFailures: 5, baseEjectionTime: '30s' },
 * });
 * await lb.execute((backend, signal) => backend.call(request, { signal }));
 * ```
 */
export function loadBalancer<B extends Backend>(options: LoadBalancerOptions<B>): LoadBalancer<B> {
  return new LoadBalancer(options);
}

declare module '../trace/event-map.js' {
  interface TraceEventMap {
    /** A load balancer's normalized options (`breakers` maps each backend to its breaker's name). */
    'load-balancer.declared': {
      readonly strategy: LoadBalancingStrategy;
      readonly backends: readonly string[];
      readonly maxFailover: number;
      readonly weights?: Readonly<Record<string, number>>;
      readonly healthCheck?: HealthCheckSettings;
      readonly outlierEjection?: OutlierEjectionSettings;
      readonly breakers?: Readonly<Record<string, string>>;
    };
    /** A backend was chosen; `attempt` > 0 is a failover, `tried` the backends already tried by the call. */
    'load-balancer.picked': {
      readonly call: number;
      readonly backend: string;
      readonly attempt: number;
      readonly tried?: readonly string[];
    };
    'load-balancer.success': { readonly call: number; readonly backend: string; readonly latency: number };
    /** `counted` is false for a rejection by the backend's own breaker. */
    'load-balancer.failure': {
      readonly call: number;
      readonly backend: string;
      readonly error: TracedError;
      readonly counted: boolean;
    };
    'load-balancer.no-backend': {
      readonly call: number;
      readonly attempt: number;
      readonly backends: readonly { readonly name: string; readonly reason: BackendUnavailability }[];
    };
    'load-balancer.health-check': {
      readonly backend: string;
      readonly ok: boolean;
      readonly error?: TracedError;
    };
    'load-balancer.health': { readonly backend: string; readonly healthy: boolean };
    'load-balancer.ejected': {
      readonly backend: string;
      readonly times: number;
      readonly duration: number;
      readonly until: number;
      readonly ejected: number;
    };
    'load-balancer.ejection-skipped': {
      readonly backend: string;
      readonly ejected: number;
      readonly maxEjected: number;
    };
    'load-balancer.returned': { readonly backend: string };
  }
}

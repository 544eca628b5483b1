import { ConfigError } from '../errors/config-error.js';
import { SimulationError } from '../errors/simulation-error.js';
import { type SwarmOptions, swarm } from '../faults/swarm.js';
import { booleanOption, checkOptions, keysExcept, optionPath } from '../options/validate.js';
import type { Random, Seed } from '../random/random.js';
import { type Bulkhead, type BulkheadOptions, bulkhead } from '../resilience/bulkhead.js';
import { type Cache, type CacheOptions, cache } from '../resilience/cache.js';
import {
  CIRCUIT_BREAKER_KEYS,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  circuitBreaker,
} from '../resilience/circuit-breaker.js';
import { type Fallback, type FallbackStep, fallback } from '../resilience/fallback.js';
import { type HedgeOptions, type HedgePolicy, hedge } from '../resilience/hedge.js';
import {
  type Backend,
  type LoadBalancer,
  type LoadBalancerOptions,
  loadBalancer,
} from '../resilience/load-balancer.js';
import { type RateLimiter, type RateLimiterOptions, rateLimiter } from '../resilience/rate-limiter.js';
import { RETRY_KEYS, type RetryOptions, type RetryPolicy, retry } from '../resilience/retry.js';
import { TIMEOUT_KEYS, type TimeoutOptions, type TimeoutPolicy, timeout } from '../resilience/timeout.js';
import type { Clock } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';
import type { TraceData } from '../trace/event-map.js';
import type { Trace } from '../trace/trace.js';
import { type Agent, type AgentHandler, type AgentOptions, createAgent } from './agents/agent.js';
import { type LoopOptions, loop } from './agents/orchestration/loop.js';
import { type MixedPlan, mixed } from './agents/orchestration/mixed.js';
import type { OrchestrationResult } from './agents/orchestration/orchestration-result.js';
import { type ParallelOptions, parallel } from './agents/orchestration/parallel.js';
import { route } from './agents/orchestration/route.js';
import { sequential } from './agents/orchestration/sequential.js';
import { RequestLedger } from './agents/workload/request-ledger.js';
import { createWorkloads, type Workloads } from './agents/workload/workloads.js';
import type { HttpBridge, HttpRoute } from './http/bridge.js';
import type { HttpRouteTarget } from './http/target.js';
import { type SpawnOptions, type TaskRecord, TaskRegistry } from './kernel/task-registry.js';
import type { VirtualClock } from './kernel/virtual-clock.js';
import {
  createLlmService,
  type LlmProvider,
  type LlmService,
  type LlmServiceOptions,
} from './llm/llm-service.js';
import { createService, type Service, type ServiceOptions } from './services/service.js';

export type { SpawnOptions, TaskRecord };

/** Options a `sim.*` resilience method fills from the run itself. */
const BOUND = ['name', 'clock', 'trace'] as const;

/**
 * What the body of `simulate` receives: virtual time, seeded randomness, the
 * trace, and named tasks. Later layers add services, agents and resilience
 * primitives bound to the same clock, random stream and trace.
 *
 * @example
 * ```ts
 * await simulate({ seed: 7 }, async (sim) => {
 *   sim.spawn('poller', async () => { await sim.sleep('5s'); sim.emit('poll.done') });
 *   await sim.sleep('10s');
 * });
 * ```
 */
export class Sim {
  readonly seed: Seed;
  readonly name: string | undefined;
  /** The run's seeded stream for user code; fork it by name for components. */
  readonly random: Random;
  /** The virtual clock as a `Clock`, for primitives that take one. */
  readonly clock: Clock;
  /** The run's trace. */
  readonly trace: Trace;
  /** Root stream; components fork from it by name so they never shift each other's draws. */
  readonly rootRandom: Random;
  /** @internal */
  readonly taskRegistry: TaskRegistry;
  /** @internal Every workload request, ended exactly once. */
  readonly ledger: RequestLedger;
  /** Load generators: `poisson`, `closed`, `burst`, `ramp`. Each resolves when all its requests ended. */
  readonly workload: Workloads;
  private healedAt: number | undefined;

  /** @internal */
  readonly bridge: HttpBridge;

  /** @internal Swarm mode (`simulate({ swarm })`): every service also gets `faults.swarm(this.swarm)`. */
  swarm: SwarmOptions | undefined;

  /** `Date.now()` at virtual time 0 (the run's `startTime`). */
  readonly epochMs: number;

  /** @internal */
  constructor(
    seed: Seed,
    name: string | undefined,
    root: Random,
    clock: VirtualClock,
    trace: Trace,
    bridge: HttpBridge,
    epochMs: number,
  ) {
    this.bridge = bridge;
    this.epochMs = epochMs;
    this.seed = seed;
    this.name = name;
    this.rootRandom = root;
    this.random = root.fork('user');
    this.clock = clock;
    this.trace = trace;
    this.taskRegistry = new TaskRegistry(trace);
    this.ledger = new RequestLedger(trace);
    const workloads = createWorkloads({ clock, random: (name) => root.fork(name), ledger: this.ledger });
    this.workload = guarded(workloads, (method) => this.live(`workload.${method}`));
  }

  private ended = false;

  /** @internal Called once by `simulate` when the run is over: every method throws from then on. */
  end(): void {
    this.ended = true;
  }

  /** Throws when this `sim` outlived its run (a saved reference would otherwise hang or corrupt the next run). */
  private live(method: string): void {
    if (!this.ended) return;
    throw new SimulationError(
      'RUN_ENDED',
      `sim.${method}() was called after its run (seed ${this.seed}) ended. A sim lives only while its ` +
        `simulate() body runs; it cannot sleep, schedule or build services afterwards. ` +
        `Do the work inside the body, or start another simulate() and use its sim.`,
      this.seed,
    );
  }

  /**
   * A circuit breaker bound to this run's clock and trace (the same primitive as
   * the top-level `circuitBreaker`).
   *
   * @example
   * ```ts
   * const breaker = sim.breaker('llm', { failureThreshold: 5, successThreshold: 3, timeout: '30s' });
   * ```
   */
  breaker(name: string, options?: Omit<CircuitBreakerOptions, 'name' | 'clock' | 'trace'>): CircuitBreaker {
    this.live('breaker');
    return circuitBreaker({
      random: this.rootRandom.fork(`breaker:${name}`),
      ...checkOptions('sim.breaker', options, keysExcept(CIRCUIT_BREAKER_KEYS, BOUND)),
      name,
      clock: this.clock,
      trace: this.trace,
    });
  }

  /** A retry policy bound to this run's clock, a seeded stream for its jitter, and the trace. */
  retry(name: string, options?: Omit<RetryOptions, 'name' | 'clock' | 'trace'>): RetryPolicy {
    this.live('retry');
    return retry({
      random: this.rootRandom.fork(`retry:${name}`),
      ...checkOptions('sim.retry', options, keysExcept(RETRY_KEYS, BOUND)),
      name,
      clock: this.clock,
      trace: this.trace,
    });
  }

  /** A timeout policy bound to this run's clock and trace. */
  timeout(
    name: string,
    after: Duration,
    options?: Omit<TimeoutOptions, 'name' | 'clock' | 'trace'>,
  ): TimeoutPolicy {
    this.live('timeout');
    const checked = checkOptions('sim.timeout', options, keysExcept(TIMEOUT_KEYS, BOUND));
    return timeout(after, { ...checked, name, clock: this.clock, trace: this.trace });
  }

  /**
   * A bulkhead bound to this run's clock and trace (the same primitive as `bulkhead`).
   *
   * @example
   * ```ts
   * const pool = sim.bulkhead('search', { maxConcurrent: 4, maxQueue: 8 });
   * ```
   */
  bulkhead(name: string, options: Omit<BulkheadOptions, 'name' | 'clock' | 'trace'>): Bulkhead {
    return bulkhead({
      random: this.rootRandom.fork(`bulkhead:${name}`),
      ...options,
      ...this.bound('bulkhead', name, options),
    });
  }

  /**
   * A token-bucket rate limiter bound to this run's clock and trace (as `rateLimiter`).
   *
   * @example
   * ```ts
   * const limiter = sim.rateLimiter('llm', { rate: '10/s', burst: 5, mode: 'wait' });
   * ```
   */
  rateLimiter(name: string, options: Omit<RateLimiterOptions, 'name' | 'clock' | 'trace'>): RateLimiter {
    return rateLimiter({
      random: this.rootRandom.fork(`rateLimiter:${name}`),
      ...options,
      ...this.bound('rateLimiter', name, options),
    });
  }

  /**
   * A load balancer bound to this run's clock and trace, with a seeded stream for
   * `random` (as `loadBalancer`). Health checks run on virtual time; `close()` it
   * when done so no timer is left pending.
   *
   * @example
   * ```ts
   * const lb = sim.loadBalancer('models', { backends: [a, b, c], strategy: 'round_robin' });
   * ```
   */
  loadBalancer<B extends Backend>(
    name: string,
    options: Omit<LoadBalancerOptions<B>, 'name' | 'clock' | 'trace'>,
  ): LoadBalancer<B> {
    return loadBalancer<B>({
      random: this.rootRandom.fork(`loadBalancer:${name}`),
      ...options,
      ...this.bound('loadBalancer', name, options),
    });
  }

  /**
   * A fallback chain traced in this run (as `fallback`).
   *
   * @example
   * ```ts
   * const answer = sim.fallback('answer', [['live', () => llm.call(q)], ['canned', () => 'busy']]);
   * ```
   */
  fallback<T>(name: string, steps: readonly FallbackStep<T>[]): Fallback<T> {
    return fallback(steps, {
      random: this.rootRandom.fork(`fallback:${name}`),
      ...this.bound('fallback', name),
    });
  }

  /**
   * A hedging policy bound to this run's clock and trace (as `hedge`).
   *
   * @example
   * ```ts
   * const h = sim.hedge('search', { delay: '200ms', maxAttempts: 2 });
   * ```
   */
  hedge(name: string, options: Omit<HedgeOptions, 'name' | 'clock' | 'trace'>): HedgePolicy {
    return hedge({
      random: this.rootRandom.fork(`hedge:${name}`),
      ...options,
      ...this.bound('hedge', name, options),
    });
  }

  /**
   * A read-through cache expiring on this run's clock, traced (as `cache`).
   *
   * @example
   * ```ts
   * const answers = sim.cache<string, string>('answers', { ttl: '5m', maxEntries: 100 });
   * ```
   */
  cache<K = string, V = unknown>(
    name: string,
    options: Omit<CacheOptions, 'name' | 'clock' | 'trace'>,
  ): Cache<K, V> {
    return cache<K, V>({
      random: this.rootRandom.fork(`cache:${name}`),
      ...options,
      ...this.bound('cache', name, options),
    });
  }

  /** The run's bindings for `sim.<method>(name, options)`; refuses options that would override them. */
  private bound(
    method: string,
    name: string,
    options?: object,
  ): { name: string; clock: Clock; trace: Trace } {
    this.live(method);
    for (const key of BOUND) {
      if (options && typeof options === 'object' && key in options) {
        throw new ConfigError(
          optionPath(`sim.${method}`, key),
          (options as Record<string, unknown>)[key],
          `no ${key}: sim.${method}() binds it to the run (use the top-level factory for your own)`,
        );
      }
    }
    return { name, clock: this.clock, trace: this.trace };
  }

  /**
   * A fault-injecting mock service. Its latency and fault decisions come from
   * the run's seeded stream for `service:<name>`, so adding another service never
   * changes this one's draws. Every call is traced.
   *
   * @example
   * ```ts
   * const search = sim.service('web_search', {
   *   latency: dist.lognormal({ median: '120ms', p99: '900ms' }),
   *   faults: [faults.errors({ rate: 0.05, status: 503 }), faults.outage({ at: '10m', for: '2m' })],
   *   handle: (q: string) => [`result for ${q}`],
   * });
   * await search.call('tides');
   * ```
   */
  service<Req = unknown, Res = unknown>(name: string, options: ServiceOptions<Req, Res>): Service<Req, Res> {
    this.live('service');
    return createService(this.serviceContext(name), name, this.withSwarm(options));
  }

  /**
   * A mock LLM with provider-shaped bodies, errors and SSE streaming
   * (`provider: 'openai' | 'anthropic'`). Expose it to an SDK with `sim.http`.
   */
  llm<P extends LlmProvider>(name: string, options: LlmServiceOptions<P>): LlmService<P> {
    this.live('llm');
    return createLlmService(this.serviceContext(name), name, this.withSwarm(options));
  }

  private withSwarm<O extends { faults?: unknown }>(options: O): O {
    if (this.swarm === undefined || typeof options !== 'object' || options === null) return options;
    const own = options.faults ?? [];
    if (!Array.isArray(own)) return options; // the service's own validation reports it
    return { ...options, faults: [...own, swarm(this.swarm)] };
  }

  private readonly serviceNames = new Set<string>();

  private serviceContext(name: string) {
    if (typeof name !== 'string' || name === '')
      throw new ConfigError('sim.service(name)', name, 'a non-empty string');
    if (this.serviceNames.has(name)) {
      throw new ConfigError(
        'sim.service(name)',
        name,
        'a name not used by another service or LLM in this run',
      );
    }
    this.serviceNames.add(name);
    return {
      clock: this.clock,
      random: this.rootRandom.fork(`service:${name}`),
      trace: this.trace,
      epoch: this.epochMs,
      healed: () => this.healedAt !== undefined,
    };
  }

  /**
   * Ends the fault phase: from now on no service or LLM injects any fault
   * (calls already decided keep their fate). Traced as `sim.heal`; liveness
   * invariants (`invariants.liveness.*`) are judged from this moment, safety
   * invariants over the whole run. Calling it again does nothing.
   *
   * @example
   * ```ts
   * await sim.sleep('10m'); // faults on
   * sim.heal();             // faults off: breakers must close again
   * await sim.sleep('2m');
   * ```
   */
  heal(): void {
    this.live('heal');
    if (this.healedAt !== undefined) return;
    this.healedAt = this.clock.now();
    this.trace.emit('sim.heal', undefined, undefined);
  }

  /** Whether `heal()` was called. */
  get healed(): boolean {
    return this.healedAt !== undefined;
  }

  /**
   * Routes `fetch` requests under `baseUrl` to a simulated service, msw handlers
   * or a `(request) => Response` function. Inside a simulation `fetch` never
   * reaches the network: a request with no route fails loudly.
   *
   * @example
   * ```ts
   * sim.http('https://api.openai.com/v1', sim.llm('openai', { provider: 'openai' }));
   * const client = new OpenAI({ apiKey: 'test' }); // unmodified SDK, virtual time
   * ```
   */
  http(baseUrl: string, target: HttpRouteTarget): HttpRoute {
    this.live('http');
    return this.bridge.route(baseUrl, target);
  }

  /** A named agent whose runs are traced; optional `timeout` and `fallback`. */
  agent<I, O>(name: string, handler: AgentHandler<I, O>, options?: AgentOptions<I, O>): Agent<I, O> {
    this.live('agent');
    return createAgent(this, name, handler, options);
  }

  /** Pipeline: each agent gets the previous output; stops at the first error. */
  sequential(agents: readonly Agent<any, any>[], input: unknown): Promise<OrchestrationResult> {
    this.live('sequential');
    return sequential(this, agents, input);
  }

  /** Collaborate: fan out, merge; `partial_success` while failures stay within `failureThreshold`. */
  parallel(
    agents: readonly Agent<any, any>[],
    input: unknown,
    options?: ParallelOptions,
  ): Promise<OrchestrationResult> {
    this.live('parallel');
    return parallel(this, agents, input, options);
  }

  /** Route by a metadata key to one agent of `table`. */
  route(
    key: string,
    table: Readonly<Record<string, Agent<any, any>>>,
  ): (input: unknown) => Promise<OrchestrationResult> {
    this.live('route');
    return route(this, key, table);
  }

  /** Repeat one agent until `until` holds or `maxIterations` (default 5). */
  loop(agent: Agent<any, any>, input: unknown, options?: LoopOptions): Promise<OrchestrationResult> {
    this.live('loop');
    return loop(this, agent, input, options);
  }

  /** A collaborative phase, then a sequential one. */
  mixed(plan: MixedPlan, input: unknown): Promise<OrchestrationResult> {
    this.live('mixed');
    return mixed(this, plan, input);
  }

  /** Virtual milliseconds since the start of the run. */
  now(): number {
    this.live('now');
    return this.clock.now();
  }

  /** Waits `time` of virtual time; rejects at once if `signal` aborts. */
  sleep(time: Duration, signal?: AbortSignal): Promise<void> {
    this.live('sleep');
    return this.clock.sleep(duration(time, 'sim.sleep(duration)'), signal);
  }

  /** Records a user event in the trace (a kind of faultline's own, see `TraceEventMap`, needs its data type). */
  emit<K extends string>(kind: K, data?: TraceData<K>, actor?: string): void {
    this.live('emit');
    this.trace.record(kind, actor, data);
  }

  /**
   * Starts a named concurrent task. The run does not end until it settles; if
   * the run deadlocks, the message names it and its last trace events. A failure
   * is traced (`task.end` with `ok: false`) and listed in `result.taskErrors`;
   * if nothing awaits or handles the returned promise, it also fails the run
   * (`UnobservedFailureError` naming the task), unless `allowFailure: true`.
   *
   * @example
   * ```ts
   * const fetcher = sim.spawn('fetcher', () => fetchAll()); // await it somewhere
   * sim.spawn('chaos', () => flakyProbe(), { allowFailure: true }); // may fail, recorded only
   * ```
   */
  spawn<T>(name: string, fn: () => Promise<T> | T, options?: SpawnOptions): Promise<T> {
    this.live('spawn');
    const o = checkOptions('sim.spawn', options, ['allowFailure']);
    const allowFailure = booleanOption(optionPath('sim.spawn', 'allowFailure'), o.allowFailure, false);
    return this.taskRegistry.spawn(name, fn, allowFailure);
  }

  /** @internal Every task started, in start order. */
  get tasks(): readonly TaskRecord[] {
    return this.taskRegistry.records;
  }

  /** @internal */
  get pendingTasks(): number {
    return this.taskRegistry.pending;
  }
}

/** `target` with each method first calling `check(name)`. */
function guarded<T extends object>(target: T, check: (method: string) => void): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(target)) {
    out[key] =
      typeof value === 'function'
        ? (...args: unknown[]) => {
            check(key);
            return value.apply(target, args);
          }
        : value;
  }
  return out as T;
}

/*
 * `faultline/adapters/cockatiel`: records a cockatiel `CircuitBreakerPolicy`
 * in the run's trace from its own events, so `invariants.breaker()` judges it.
 *
 * The policy is instrumented in place (its `execute`, so policies composed with
 * cockatiel's `wrap()` are recorded too). Transitions come from `onHalfOpen`
 * (fired before the probe runs) and `onStateChange`; a call is admitted when
 * cockatiel runs its function, rejected when `execute` throws a
 * `BrokenCircuitError` without running it; outcomes come from `onSuccess` /
 * `onFailure`, paired with their call because the adapter's reaction to the
 * function's promise runs just before cockatiel's, and are traced when
 * cockatiel tells its counting strategy (`options.breaker.success` /
 * `.failure`, wrapped in place): one `await` later, in the same order, and
 * just before the policy acts on it, so the trace keeps the breaker's order
 * even when other calls settle or start in between. `onFailure` with
 * `handled: false` (an error the policy does not handle, never told to the
 * strategy) is traced at once: as ignored in closed, and as a success carrying
 * the error in half-open, where cockatiel closes on it.
 *
 * cockatiel is never imported: the policy is passed in, so users without
 * cockatiel can load faultline.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions } from '../options/validate.js';
import type { Sim } from '../simulators/sim.js';
import type { TracedBreakerState } from '../trace/event-map.js';
import { BreakerRecorder, DECLARED_BREAKER_KEYS, type DeclaredBreakerConfig } from './breaker-recorder.js';

/** What the adapter uses of cockatiel's `CircuitBreakerPolicy` (structurally: cockatiel is not imported). */
export interface CockatielBreakerPolicy {
  execute<T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
  /** cockatiel's `CircuitState`: 0 closed, 1 open, 2 half-open, 3 isolated. */
  readonly state: number;
  readonly onHalfOpen: (listener: () => void) => { dispose(): void };
  readonly onStateChange: (listener: (state: number) => void) => { dispose(): void };
  readonly onSuccess: (listener: (data: { duration: number }) => void) => { dispose(): void };
  readonly onFailure: (
    listener: (data: {
      duration: number;
      handled: boolean;
      reason: { error: Error } | { value: unknown };
    }) => void,
  ) => { dispose(): void };
}

type Call = { phase: number; state: TracedBreakerState };
/** An outcome cockatiel's executor reported, waiting for the counting strategy to be told (no call: not paired, not traced). */
type Told = { call: Call | undefined; error: unknown };

/** cockatiel's counting strategy (`IBreaker`), as its instances keep it. */
interface Strategy {
  success(state: number): void;
  failure(state: number): boolean;
  constructor?: { name?: string };
  [key: string]: unknown;
}

const STATES: readonly TracedBreakerState[] = ['closed', 'open', 'half-open', 'isolated'];
const OWNER = 'instrumentCockatiel';
const INSTRUMENTED = Symbol.for('faultline.adapters.cockatiel');
const WRAPPED = Symbol.for('faultline.adapters.cockatiel.wrapped');

interface Instrumentation {
  execute: CockatielBreakerPolicy['execute'];
  dispose(): void;
}

/**
 * Records a cockatiel circuit breaker policy in the run's trace, in place, and
 * returns it. The declaration is read from the policy where cockatiel exposes
 * it: a `ConsecutiveBreaker(n)` gives `failureThreshold: n`; a `CountBreaker`
 * and a `SamplingBreaker` give their failure-rate rule exactly (`rateCounting:
 * 'samples'`, `>`, a `count` window of `size` or the sampler's bucket `ring`);
 * a numeric (or `ConstantBackoff`) `halfOpenAfter` gives `timeout`; cockatiel's
 * documented rest is fixed (one probe, closes on its success, lazy half-open,
 * `Date.now()` clock). `declared` overrides any of it, and must supply what
 * cannot be read (another strategy, a backoff `halfOpenAfter`). A Count or
 * Sampling breaker that has already counted calls is refused (its window would
 * not start empty), and so is a SamplingBreaker on a run whose `startTime` is
 * not a whole number of ms >= its bucket size. Create the policy inside the
 * scenario: cockatiel reads `Date.now()`, virtual only there. Instrumenting a
 * policy again (a new run) replaces the previous instrumentation.
 *
 * @example
 * ```ts
 * import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
 * import { instrumentCockatiel } from 'faultline/adapters/cockatiel';
 *
 * const policy = instrumentCockatiel(sim, 'llm',
 *   circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) }));
 * await policy.execute(() => llm.call(prompt)); // judged by invariants.breaker()
 * ```
 */
export function instrumentCockatiel<P extends CockatielBreakerPolicy>(
  sim: Pick<Sim, 'trace'> & Partial<Pick<Sim, 'epochMs'>>,
  name: string,
  policy: P,
  declared?: Partial<DeclaredBreakerConfig>,
): P {
  const own = checkOptions(OWNER, declared, DECLARED_BREAKER_KEYS);
  if (typeof policy?.execute !== 'function' || typeof policy.onStateChange !== 'function')
    throw new ConfigError(
      `${OWNER}(policy)`,
      policy,
      'a cockatiel CircuitBreakerPolicy (circuitBreaker(...))',
    );
  const strategy = (policy as { options?: { breaker?: Strategy } }).options?.breaker;
  const config = { ...readDeclaration(policy, sim.epochMs), ...own };
  for (const key of ['failureThreshold', 'timeout'] as const) {
    if (config[key] === undefined && !(key === 'failureThreshold' && config.mode === 'rate'))
      throw new ConfigError(
        `${OWNER}({ ${key} })`,
        undefined,
        'a declared value: it cannot be read from this policy (only a ConsecutiveBreaker, CountBreaker or SamplingBreaker and a numeric or ConstantBackoff halfOpenAfter are read)',
      );
  }
  const target = policy as P & { [INSTRUMENTED]?: Instrumentation };
  target[INSTRUMENTED]?.dispose();
  const original = policy.execute;
  const recorder = new BreakerRecorder(
    sim.trace,
    name,
    config as DeclaredBreakerConfig,
    OWNER,
    STATES[policy.state] ?? 'closed',
  );
  let settling: Call | undefined;
  const take = () => {
    const call = settling;
    settling = undefined;
    return call;
  };
  const told: Told[] = [];
  // A policy without cockatiel's strategy (a stand-in): outcomes are traced as reported.
  const tells = typeof strategy?.success === 'function' && typeof strategy.failure === 'function';
  const restoreStrategy = tells ? tellOutcomes(strategy, told, recorder) : () => {};
  const queue = (call: Call | undefined, error: unknown, failed: boolean) => {
    if (tells) told.push({ call, error });
    else if (call) recorder.settled(call, error, failed);
  };
  const subscriptions = [
    policy.onHalfOpen(() => {
      recorder.observe('half-open', 'onHalfOpen');
    }),
    policy.onStateChange((code) => {
      const to = STATES[code] ?? 'closed';
      const reason =
        to === 'isolated' ? 'isolate' : recorder.current === 'isolated' ? 'release' : reasonFor(to);
      recorder.observe(to, reason);
    }),
    // Every handled outcome is queued, paired or not, so the queue stays aligned with cockatiel's.
    policy.onSuccess(() => {
      queue(take(), undefined, false);
    }),
    policy.onFailure(({ handled, reason }) => {
      const call = take();
      const error = 'error' in reason ? reason.error : reason.value;
      if (handled) queue(call, error, true);
      else if (call?.state === 'half-open') recorder.settled(call, error, false);
      else if (call) recorder.ignored(call, error);
    }),
  ];

  function execute<T>(
    this: unknown,
    fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T,
    signal?: AbortSignal,
  ): Promise<T> {
    // cockatiel re-enters execute for callers that waited on a half-open probe: already wrapped.
    if ((fn as { [WRAPPED]?: true })[WRAPPED]) return original.call(policy, fn, signal) as Promise<T>;
    let called = false;
    const wrapped = Object.assign(
      (context: { signal: AbortSignal }): Promise<T> => {
        called = true;
        const call = recorder.admitted();
        let p: Promise<T>;
        try {
          p = Promise.resolve(fn(context));
        } catch (error) {
          p = Promise.reject(error);
        }
        // Registered before cockatiel awaits `p`, so this runs just before its onSuccess / onFailure.
        p.then(
          () => {
            settling = call;
          },
          () => {
            settling = call;
          },
        );
        return p;
      },
      { [WRAPPED]: true as const },
    );
    return (original.call(policy, wrapped, signal) as Promise<T>).catch((error: unknown) => {
      if (!called && isBrokenCircuit(error)) recorder.rejected();
      throw error;
    });
  }

  target.execute = execute as P['execute'];
  target[INSTRUMENTED] = {
    execute: original,
    dispose() {
      for (const s of subscriptions) s.dispose();
      restoreStrategy();
      target.execute = original as P['execute'];
      delete target[INSTRUMENTED];
    },
  };
  return policy;
}

/** The cockatiel event behind a transition (cockatiel does not say why; never a manual reason). */
function reasonFor(to: TracedBreakerState): string {
  return to === 'open' ? 'onBreak' : to === 'closed' ? 'onReset' : 'onHalfOpen';
}

function isBrokenCircuit(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { isBrokenCircuitError?: unknown }).isBrokenCircuitError === true
  );
}

/**
 * Traces each outcome when cockatiel tells its counting strategy (the policy
 * acts on the answer right after): the strategy's methods are wrapped on the
 * instance. Calls are told in the order the executor reported them. Returns
 * the undo.
 */
function tellOutcomes(strategy: Strategy, told: Told[], recorder: BreakerRecorder): () => void {
  const own = { success: Object.hasOwn(strategy, 'success'), failure: Object.hasOwn(strategy, 'failure') };
  const { success, failure } = strategy;
  const report = (failed: boolean) => {
    const next = told.shift();
    if (next?.call) recorder.settled(next.call, next.error, failed);
  };
  strategy.success = function (this: Strategy, state: number) {
    report(false);
    return success.call(this, state);
  };
  strategy.failure = function (this: Strategy, state: number) {
    report(true);
    return failure.call(this, state);
  };
  return () => {
    if (own.success) strategy.success = success;
    else delete (strategy as Partial<Strategy>).success;
    if (own.failure) strategy.failure = failure;
    else delete (strategy as Partial<Strategy>).failure;
  };
}

/** What the policy's own options say (cockatiel keeps them on the instance). */
function readDeclaration(
  policy: CockatielBreakerPolicy,
  epochMs: number | undefined,
): Partial<DeclaredBreakerConfig> {
  const out: Partial<DeclaredBreakerConfig> = {
    successThreshold: 1,
    maxConcurrentCalls: 1,
    halfOpen: 'lazy',
    clockResolution: 1,
  };
  const options = (policy as { options?: { breaker?: unknown; halfOpenAfter?: unknown } }).options;
  const breaker = options?.breaker as Record<string, unknown> | undefined;
  const kind = (breaker?.constructor as { name?: string } | undefined)?.name;
  if (kind === 'ConsecutiveBreaker' && Number.isInteger(breaker!.threshold))
    out.failureThreshold = breaker!.threshold as number;
  else if (kind === 'CountBreaker') Object.assign(out, countRule(breaker as unknown as CountStrategy));
  else if (kind === 'SamplingBreaker')
    Object.assign(out, samplingRule(breaker as unknown as SamplingStrategy, epochMs));
  const after = options?.halfOpenAfter as
    | { constructor?: { name?: string }; interval?: unknown }
    | number
    | undefined;
  if (typeof after === 'number') out.timeout = after;
  else if (after?.constructor?.name === 'ConstantBackoff' && typeof after.interval === 'number')
    out.timeout = after.interval;
  return out;
}

/** cockatiel's CountBreaker fields (3.x). */
interface CountStrategy {
  threshold: number;
  minimumNumberOfCalls: number;
  samples: readonly unknown[];
  successes: number;
  failures: number;
}

/** cockatiel's SamplingBreaker fields (3.x). */
interface SamplingStrategy {
  threshold: number;
  windowSize: number;
  duration: number;
  minimumRpms: number;
  windows: readonly { startedAt: number; successes: number; failures: number }[];
}

function unused(kind: string, fresh: boolean): void {
  if (!fresh)
    throw new ConfigError(
      `${OWNER}(policy.options.breaker)`,
      kind,
      `a ${kind} that has counted no call yet: the judge replays its window from empty (create the policy inside the scenario)`,
    );
}

/** CountBreaker: after a failure in closed, opens when failures > threshold × total over the last `size` samples, once total >= minimumNumberOfCalls. */
function countRule(b: CountStrategy): Partial<DeclaredBreakerConfig> {
  unused('CountBreaker', b.successes + b.failures === 0);
  return {
    mode: 'rate',
    failureRateThreshold: b.threshold,
    minimumCalls: b.minimumNumberOfCalls,
    window: { type: 'count', size: b.samples.length },
    rateComparison: '>',
    rateCounting: 'samples',
  };
}

/**
 * SamplingBreaker: the same rule over its ring of `windows.length` buckets of
 * `windowSize` ms, once total >= duration × minimumRpms (its own product: the
 * least whole number of calls that is not below it).
 */
function samplingRule(b: SamplingStrategy, epochMs: number | undefined): Partial<DeclaredBreakerConfig> {
  unused(
    'SamplingBreaker',
    b.windows.every((w) => w.startedAt === 0 && w.successes === 0 && w.failures === 0),
  );
  // A bucket never started has startedAt 0: the model says the next outcome starts a new one,
  // true when Date.now() >= windowSize; a whole epoch keeps Date.now() differences those of virtual time.
  if (epochMs === undefined || !Number.isInteger(epochMs) || epochMs < b.windowSize)
    throw new ConfigError(
      `${OWNER}(sim.epochMs)`,
      epochMs,
      `a whole number of ms >= the SamplingBreaker's bucket size ${b.windowSize} (simulate's startTime; the default is): the judge replays its buckets from Date.now()`,
    );
  return {
    mode: 'rate',
    failureRateThreshold: b.threshold,
    minimumCalls: Math.max(0, Math.ceil(b.duration * b.minimumRpms)),
    window: { type: 'ring', buckets: b.windows.length, bucketDuration: b.windowSize },
    rateComparison: '>',
    rateCounting: 'samples',
  };
}

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
 * function's promise runs just before cockatiel's. `onFailure` with
 * `handled: false` (an error the policy does not handle) is traced as ignored
 * in closed and as a success in half-open, where cockatiel closes on it.
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
 * it: a `ConsecutiveBreaker(n)` gives `failureThreshold: n`, a numeric (or
 * `ConstantBackoff`) `halfOpenAfter` gives `timeout`; cockatiel's documented
 * rest is fixed (one probe, closes on its success, lazy half-open, `Date.now()`
 * clock). `declared` overrides any of it, and must supply what cannot be read
 * (a `CountBreaker`, `SamplingBreaker` or backoff `halfOpenAfter`). Create the
 * policy inside the scenario: cockatiel reads `Date.now()`, virtual only there.
 * Instrumenting a policy again (a new run) replaces the previous instrumentation.
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
  sim: Pick<Sim, 'trace'>,
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
  const config = { ...readDeclaration(policy), ...own };
  for (const key of ['failureThreshold', 'timeout'] as const) {
    if (config[key] === undefined && !(key === 'failureThreshold' && config.mode === 'rate'))
      throw new ConfigError(
        `${OWNER}({ ${key} })`,
        undefined,
        'a declared value: it cannot be read from this policy (only a ConsecutiveBreaker and a numeric or ConstantBackoff halfOpenAfter are read)',
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
    policy.onSuccess(() => {
      const call = take();
      if (call) recorder.settled(call, undefined, false);
    }),
    policy.onFailure(({ handled, reason }) => {
      const call = take();
      if (call === undefined) return;
      const error = 'error' in reason ? reason.error : reason.value;
      if (handled) recorder.settled(call, error, true);
      else if (call.state === 'half-open') recorder.settled(call, error, false);
      else recorder.ignored(call, error);
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

/** What the policy's own options say (cockatiel keeps them on the instance). */
function readDeclaration(policy: CockatielBreakerPolicy): Partial<DeclaredBreakerConfig> {
  const out: Partial<DeclaredBreakerConfig> = {
    successThreshold: 1,
    maxConcurrentCalls: 1,
    halfOpen: 'lazy',
    clockResolution: 1,
  };
  const options = (policy as { options?: { breaker?: unknown; halfOpenAfter?: unknown } }).options;
  const breaker = options?.breaker as { constructor?: { name?: string }; threshold?: unknown } | undefined;
  if (breaker?.constructor?.name === 'ConsecutiveBreaker' && Number.isInteger(breaker.threshold))
    out.failureThreshold = breaker.threshold as number;
  const after = options?.halfOpenAfter as
    | { constructor?: { name?: string }; interval?: unknown }
    | number
    | undefined;
  if (typeof after === 'number') out.timeout = after;
  else if (after?.constructor?.name === 'ConstantBackoff' && typeof after.interval === 'number')
    out.timeout = after.interval;
  return out;
}

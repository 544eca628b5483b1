/*
 * `faultline/adapters/opossum`: records an opossum `CircuitBreaker` in the
 * run's trace from its own events, so `invariants.breaker()` judges it.
 *
 * opossum is an EventEmitter and every decision it makes is synchronous inside
 * `fire()`: `fire` (args) is followed at once by `reject` (refused),
 * `semaphoreLocked` (admitted past the breaker and failed by the capacity
 * semaphore, which opossum counts as a failure) or by the action being called
 * (admitted). The adapter sees that last one by wrapping the breaker's action
 * in place. Outcomes: the action's promise settling (the adapter's reaction
 * has the shape of opossum's and runs just before it, so each result is traced
 * right before opossum acts on it, also when several settle in one burst),
 * classified by the breaker's own `errorFilter` as opossum does, or opossum's
 * `timeout` event (args) when its timer fires first. Transitions: `open`,
 * `halfOpen`, `close` (traced with the event's name as the reason: opossum does
 * not say why). `shutdown` ends the instrumentation.
 *
 * opossum is never imported: the breaker is passed in, so users without
 * opossum can load faultline.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions } from '../options/validate.js';
import type { Sim } from '../simulators/sim.js';
import type { TracedBreakerState } from '../trace/event-map.js';
import { BreakerRecorder, DECLARED_BREAKER_KEYS, type DeclaredBreakerConfig } from './breaker-recorder.js';

/** What the adapter uses of opossum's `CircuitBreaker` (structurally: opossum is not imported). */
export interface OpossumBreaker {
  readonly opened: boolean;
  readonly halfOpen: boolean;
  readonly closed: boolean;
  readonly volumeThreshold: number;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
}

/** opossum's options as it keeps them on the instance (after its defaults). */
interface OpossumOptions {
  resetTimeout?: number;
  errorThresholdPercentage?: number;
  rollingCountTimeout?: number;
  rollingCountBuckets?: number;
  errorFilter?: (error: unknown, ...args: unknown[]) => boolean;
  cache?: unknown;
  coalesce?: unknown;
  allowWarmUp?: unknown;
  rotateBucketController?: unknown;
  maxFailures?: unknown;
}

interface Internals {
  action: (...args: unknown[]) => unknown;
  options: OpossumOptions;
}

type Call = { phase: number; state: TracedBreakerState; settled: boolean };

const OWNER = 'instrumentOpossum';
const INSTRUMENTED = Symbol.for('faultline.adapters.opossum');

/**
 * Records an opossum circuit breaker in the run's trace, in place, and returns
 * it. The declaration is read from the breaker's options, with opossum's
 * documented semantics: it opens when, after a failure, the failures over its
 * rolling window (`rollingCountTimeout` in `rollingCountBuckets` buckets)
 * exceed `errorThresholdPercentage` % of the calls made in it (strict `>`;
 * every fire counts, rejected ones too) once `volumeThreshold` calls were made;
 * a timer half-opens it `resetTimeout` after it opened (eager); one probe, whose
 * success closes it. `declared` overrides any of it. Options the declaration
 * cannot describe (`cache`, `coalesce`, `allowWarmUp`, `rotateBucketController`,
 * `maxFailures`) are refused. Create the breaker inside the scenario (its
 * timers must be virtual) and `shutdown()` it at the end.
 *
 * @example
 * ```ts
 * import CircuitBreaker from 'opossum';
 * import { instrumentOpossum } from 'faultline/adapters/opossum';
 *
 * const breaker = instrumentOpossum(sim, 'llm',
 *   new CircuitBreaker((p: string) => llm.call(p), { resetTimeout: 1000, volumeThreshold: 5 }));
 * await breaker.fire('hello'); // judged by invariants.breaker()
 * breaker.shutdown();
 * ```
 */
export function instrumentOpossum<B extends OpossumBreaker>(
  sim: Pick<Sim, 'trace'>,
  name: string,
  breaker: B,
  declared?: Partial<DeclaredBreakerConfig>,
): B {
  const own = checkOptions(OWNER, declared, DECLARED_BREAKER_KEYS);
  const inner = breaker as unknown as B & Internals & { [INSTRUMENTED]?: () => void };
  if (
    typeof inner?.on !== 'function' ||
    typeof inner.action !== 'function' ||
    typeof inner.options !== 'object'
  )
    throw new ConfigError(
      `${OWNER}(breaker)`,
      breaker,
      'an opossum CircuitBreaker (new CircuitBreaker(action, options))',
    );
  const options = inner.options;
  for (const key of ['cache', 'coalesce', 'allowWarmUp', 'rotateBucketController', 'maxFailures'] as const) {
    if (options[key]) {
      throw new ConfigError(
        `${OWNER}(breaker.options.${key})`,
        options[key],
        'off: the breaker declaration cannot describe it',
      );
    }
  }
  inner[INSTRUMENTED]?.();
  const config = { ...readDeclaration(inner), ...own } as DeclaredBreakerConfig;
  const recorder = new BreakerRecorder(sim.trace, name, config, OWNER, stateOf(breaker));
  const calls = new Map<unknown[], Call>();
  let fired: unknown[] | undefined;

  const settle = (call: Call, error: unknown, failed: boolean) => {
    if (call.settled) return;
    call.settled = true;
    recorder.settled(call, error, failed);
  };
  const isFailure = (error: unknown, args: unknown[]) => !(options.errorFilter?.(error, ...args) ?? false);
  const admit = (args: unknown[]): Call => {
    const call = { ...recorder.admitted(), settled: false };
    calls.set(args, call);
    return call;
  };

  const listeners: Record<string, (...args: any[]) => void> = {
    fire: (args: unknown[]) => {
      fired = args;
    },
    reject: () => {
      fired = undefined;
      recorder.rejected();
    },
    semaphoreLocked: (error: unknown) => {
      const args = fired ?? [];
      fired = undefined;
      settle(admit(args), error, isFailure(error, args));
      calls.delete(args);
    },
    timeout: (error: unknown, _latency: unknown, args: unknown[]) => {
      const call = calls.get(args);
      if (call) settle(call, error, isFailure(error, args));
    },
    open: () => recorder.observe('open', 'open'),
    halfOpen: () => recorder.observe('half-open', 'halfOpen'),
    close: () => recorder.observe('closed', 'close'),
    shutdown: () => dispose(),
  };
  for (const [event, listener] of Object.entries(listeners)) inner.on(event, listener);

  const action = inner.action;
  inner.action = function instrumented(this: unknown, ...rest: unknown[]): unknown {
    const args = fired ?? rest;
    fired = undefined;
    const call = admit(args);
    let p: Promise<unknown>;
    try {
      const result = action.apply(this, rest);
      p =
        typeof (result as PromiseLike<unknown>)?.then === 'function'
          ? (result as Promise<unknown>)
          : Promise.resolve(result);
    } catch (error) {
      calls.delete(args);
      settle(call, error, isFailure(error, rest));
      throw error;
    }
    // The shape of opossum's own reaction to `p` (`p.then(onSuccess).catch(onError)`, so it
    // takes a failure one reaction later than a success), registered just before it: each
    // result is traced right before opossum acts on it, even when several settle in one burst.
    Promise.resolve(p)
      .then(() => {
        calls.delete(args);
        settle(call, undefined, false);
      })
      .catch((error: unknown) => {
        calls.delete(args);
        settle(call, error, isFailure(error, rest));
      });
    return p;
  };

  function dispose() {
    for (const [event, listener] of Object.entries(listeners)) inner.removeListener(event, listener);
    inner.action = action;
    delete inner[INSTRUMENTED];
  }
  inner[INSTRUMENTED] = dispose;
  return breaker;
}

function stateOf(b: OpossumBreaker): TracedBreakerState {
  return b.opened ? 'open' : b.halfOpen ? 'half-open' : 'closed';
}

/** opossum's options, read as the breaker declaration. */
function readDeclaration(b: OpossumBreaker & Internals): Partial<DeclaredBreakerConfig> {
  const o = b.options;
  return {
    mode: 'rate',
    successThreshold: 1,
    maxConcurrentCalls: 1,
    halfOpen: 'eager',
    timeout: o.resetTimeout ?? 30_000,
    failureRateThreshold: (o.errorThresholdPercentage ?? 50) / 100,
    minimumCalls: b.volumeThreshold,
    rateComparison: '>',
    rateCounting: 'fires',
    window: {
      type: 'buckets',
      duration: o.rollingCountTimeout ?? 10_000,
      buckets: o.rollingCountBuckets ?? 10,
    },
  };
}

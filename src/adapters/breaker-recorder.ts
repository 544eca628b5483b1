/*
 * Turns what an adapter observes of a breaker (calls admitted, results,
 * rejections, state changes) into faultline's breaker trace events, so that
 * `invariants.breaker()` judges any breaker. It numbers phases itself (one per
 * observed transition) and reports a call's result with the phase it was
 * admitted in. Adapters report a result at the moment the breaker takes it
 * (just before it acts on it, or just after with the state it left) and
 * transitions as soon as they are observed, so the trace keeps the order in
 * which the breaker saw them, also when several results settle in one burst.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, finiteAtLeast, integerAtLeast, numberInRange, oneOf } from '../options/validate.js';
import { errorData } from '../resilience/options.js';
import { type Duration, duration } from '../time/duration.js';
import type { TraceSink } from '../trace/event.js';
import type { DraftData, TracedBreakerState } from '../trace/event-map.js';

/** The configuration a breaker claims, declared for the invariants. */
export interface DeclaredBreakerConfig {
  /** Consecutive failures that open it (not used in rate mode, where it may be left out). */
  failureThreshold: number;
  successThreshold: number;
  /** Open → half-open delay. */
  timeout: Duration;
  maxConcurrentCalls: number;
  /** `lazy` (default for observed breakers): the first call after the timeout half-opens it; `eager`: a timer does. */
  halfOpen?: 'eager' | 'lazy';
  /** `consecutive` (default) or `rate`: opens on a failure rate over `window` (then `failureRateThreshold` and `window` are required). */
  mode?: 'consecutive' | 'rate';
  /** Rate mode: failures ÷ calls that opens it, in [0, 1]. */
  failureRateThreshold?: number;
  /** Rate mode: calls the window must hold before the rate is judged. Default 1. */
  minimumCalls?: number;
  /** Rate mode: the last `size` calls, the calls of the last `duration`, opossum's rolling `buckets`, or cockatiel's SamplingBreaker `ring` (a bucket started by the first outcome `bucketDuration` after the current one). */
  window?:
    | { type: 'count'; size: number }
    | { type: 'time'; duration: Duration }
    | { type: 'buckets'; duration: Duration; buckets: number }
    | { type: 'ring'; buckets: number; bucketDuration: Duration };
  /** Rate mode: `>=` (default) or `>` against the threshold. */
  rateComparison?: '>=' | '>';
  /** Rate mode: `outcomes` (default: settled closed-state calls, cleared on close), `fires` (every call as made, every failure as reported, never cleared: opossum, Hystrix) or `samples` (every success and failure, late and probe ones too, emptied at a probe's success; judged on failures: cockatiel). */
  rateCounting?: 'outcomes' | 'fires' | 'samples';
  /** Granularity of the breaker's own clock in ms: 1 for a breaker that reads `Date.now()`. Default 0 (exact). */
  clockResolution?: number;
}

export const DECLARED_BREAKER_KEYS = [
  'failureThreshold',
  'successThreshold',
  'timeout',
  'maxConcurrentCalls',
  'halfOpen',
  'mode',
  'failureRateThreshold',
  'minimumCalls',
  'window',
  'rateComparison',
  'rateCounting',
  'clockResolution',
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
      if (k === 'failureThreshold' && d[k] === undefined && d.mode === 'rate') continue; // not used in rate mode
      if (d[k] === undefined)
        throw new ConfigError(path(k), undefined, 'an integer >= 1 (the value the breaker claims)');
      integerAtLeast(path(k), d[k], 1);
    }
    if (d.timeout === undefined) throw new ConfigError(path('timeout'), undefined, 'a duration');
    this.state = initial;
    const data: DraftData<'breaker.declared'> = {
      failureThreshold: d.failureThreshold ?? 0,
      successThreshold: d.successThreshold!,
      timeout: duration(d.timeout, path('timeout')),
      maxConcurrentCalls: d.maxConcurrentCalls!,
      mode: oneOf(path('mode'), d.mode ?? 'consecutive', ['consecutive', 'rate'] as const),
      halfOpen: oneOf(path('halfOpen'), d.halfOpen ?? 'lazy', ['eager', 'lazy'] as const),
    };
    if (d.clockResolution !== undefined)
      data.clockResolution = finiteAtLeast(path('clockResolution'), d.clockResolution, 0);
    if (data.mode === 'rate') {
      if (d.failureRateThreshold === undefined)
        throw new ConfigError(path('failureRateThreshold'), undefined, 'a number in [0, 1] (rate mode)');
      data.failureRateThreshold = numberInRange(path('failureRateThreshold'), d.failureRateThreshold, 0, 1);
      data.minimumCalls = integerAtLeast(path('minimumCalls'), d.minimumCalls ?? 1, 0);
      data.window = declaredWindow(path('window'), d.window);
      data.rateComparison = oneOf(path('rateComparison'), d.rateComparison ?? '>=', ['>=', '>'] as const);
      data.rateCounting = oneOf(path('rateCounting'), d.rateCounting ?? 'outcomes', [
        'outcomes',
        'fires',
        'samples',
      ] as const);
    } else {
      for (const k of [
        'failureRateThreshold',
        'minimumCalls',
        'window',
        'rateComparison',
        'rateCounting',
      ] as const)
        if (d[k] !== undefined) throw new ConfigError(path(k), d[k], `no value unless mode is "rate"`);
    }
    trace.emit('breaker.declared', name, data);
  }

  /** The state last recorded. */
  get current(): TracedBreakerState {
    return this.state;
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

  /** Reports a call the breaker counted as neither success nor failure. */
  ignored(call: { phase: number; state: TracedBreakerState }, error: unknown): void {
    this.trace.emit('breaker.ignored', this.name, {
      state: call.state,
      phase: call.phase,
      error: errorData(error),
    });
  }

  /** Reports a call's result (when the breaker takes it); a success may carry the error it was counted from. */
  settled(call: { phase: number; state: TracedBreakerState }, error: unknown, failed: boolean): void {
    if (failed) {
      this.trace.emit('breaker.failure', this.name, {
        state: call.state,
        phase: call.phase,
        error: errorData(error),
      });
    } else if (error !== undefined) {
      this.trace.emit('breaker.success', this.name, {
        state: call.state,
        phase: call.phase,
        error: errorData(error),
      });
    } else {
      this.trace.emit('breaker.success', this.name, { state: call.state, phase: call.phase });
    }
  }
}

function declaredWindow(
  path: string,
  w: DeclaredBreakerConfig['window'],
): NonNullable<DraftData<'breaker.declared'>['window']> {
  const allowed =
    '{ type: "count", size } | { type: "time", duration } | { type: "buckets", duration, buckets } | { type: "ring", buckets, bucketDuration } (rate mode)';
  if (w?.type === 'count') {
    checkOptions(path, w, ['type', 'size'], true);
    return { type: 'count', size: integerAtLeast(`${path}.size`, w.size, 1) };
  }
  if (w?.type === 'ring') {
    checkOptions(path, w, ['type', 'buckets', 'bucketDuration'], true);
    return {
      type: 'ring',
      buckets: integerAtLeast(`${path}.buckets`, w.buckets, 1),
      bucketDuration: duration(w.bucketDuration, `${path}.bucketDuration`),
    };
  }
  if (w?.type === 'time' || w?.type === 'buckets') {
    const ms = duration(w.duration, `${path}.duration`);
    if (!(ms > 0)) throw new ConfigError(`${path}.duration`, w.duration, 'a duration > 0');
    if (w.type === 'time') {
      checkOptions(path, w, ['type', 'duration'], true);
      return { type: 'time', duration: ms };
    }
    checkOptions(path, w, ['type', 'duration', 'buckets'], true);
    return { type: 'buckets', duration: ms, buckets: integerAtLeast(`${path}.buckets`, w.buckets, 1) };
  }
  throw new ConfigError(path, w, allowed);
}

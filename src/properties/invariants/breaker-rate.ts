/*
 * The failure-rate rule of `invariants.breaker()` for breakers that open on a
 * failure RATE over a window instead of consecutive failures: faultline's rate
 * mode and resilience4j (`outcomes` counting: each settled closed-state call,
 * window cleared on close) and opossum / Hystrix (`fires` counting: every call
 * counts when it is made, admitted or rejected, in any state; every failure when
 * it is reported; the window is never cleared, only rolls).
 *
 * Windows: the last `size` calls (`count`), calls in (now − duration, now]
 * (`time`), or opossum's rolling `buckets`: `buckets` buckets of
 * floor(duration / buckets) ms rotated by an interval timer whose phase the
 * trace does not show. For buckets the model considers every window start the
 * rotation could have put there, [now − buckets·I, now − (buckets − 1)·I], and
 * says the breaker MUST open only when the rule holds for all of them and MAY
 * open when it holds for one: no false violation whatever the phase. Or
 * cockatiel's SamplingBreaker `ring`: `buckets` buckets in a ring, the next one
 * emptied and started by the first outcome at least `bucketDuration` ms (on the
 * breaker's clock) after the current one started, one rotation per outcome
 * however long the silence; the rate is over all of them (exact: the trace
 * shows every outcome's time).
 *
 * `samples` counting (cockatiel's CountBreaker and SamplingBreaker): every
 * success and failure the breaker's counting strategy is told, late and probe
 * ones too, is a sample; the window starts again (emptied) just before the
 * success of a half-open probe is sampled, and at no other time; the rate is
 * compared as cockatiel does (`failures > threshold × calls`), with no tolerance.
 */

/** The window a rate breaker declares (durations in ms). */
export type DeclaredRateWindow =
  | { type: 'count'; size: number }
  | { type: 'time'; duration: number }
  | { type: 'buckets'; duration: number; buckets: number }
  | { type: 'ring'; buckets: number; bucketDuration: number };

/** How a rate breaker decides to open. */
export interface DeclaredRate {
  /** Failures ÷ calls compared with this, in [0, 1]. */
  threshold: number;
  /** Calls the window must hold before the rate is judged. */
  minimumCalls: number;
  window: DeclaredRateWindow;
  /** `>=` (faultline, resilience4j) or `>` (opossum, cockatiel's rate breakers). */
  comparison: '>=' | '>';
  /** `outcomes` (settled closed-state calls), `fires` (calls as made, failures as reported) or `samples` (every reported success and failure; restarts at a probe's success). */
  counting: 'outcomes' | 'fires' | 'samples';
}

/** What the rule says about opening at one moment. */
export interface RateVerdict {
  /** The rule holds for every window the declaration allows. */
  must: boolean;
  /** The rule holds for at least one of them. */
  may: boolean;
  /** Calls and failures in the widest window considered. */
  calls: number;
  failures: number;
}

/**
 * Breakers compute the rate their own way (opossum: failures / fires × 100 >
 * a percentage), so a rate within this of the threshold may go either way.
 */
const TOLERANCE = 1e-9;

interface Entry {
  t: number;
  call: number;
  failure: number;
}

interface Bucket {
  /** On the breaker's clock; -Infinity: never started (the next outcome starts the next bucket). */
  start: number;
  calls: number;
  failures: number;
}

/** A replay of the declared window over a breaker's traced calls and failures. */
export class RateModel {
  private entries: Entry[] = [];
  private readonly ring: Bucket[] = [];
  private current = 0;

  /** `clockResolution`: the granularity of the breaker's clock in ms (a `ring` rotates on it). */
  constructor(
    readonly declared: DeclaredRate,
    private readonly clockResolution = 0,
  ) {
    if (declared.window.type === 'ring') {
      for (let i = 0; i < declared.window.buckets; i++)
        this.ring.push({ start: Number.NEGATIVE_INFINITY, calls: 0, failures: 0 });
    }
  }

  /** A call was made (`fires` counting): admitted or rejected. */
  fire(t: number): void {
    if (this.declared.counting === 'fires') this.push({ t, call: 1, failure: 0 });
  }

  /** A call's outcome was reported. */
  outcome(t: number, failed: boolean): void {
    if (this.declared.counting !== 'fires') this.push({ t, call: 1, failure: failed ? 1 : 0 });
    else if (failed) this.push({ t, call: 0, failure: 1 });
  }

  /** The breaker closed: an `outcomes` window starts again. */
  closed(): void {
    if (this.declared.counting === 'outcomes') this.clear();
  }

  /** A half-open probe's success is about to be sampled: a `samples` window starts again. */
  probeSucceeded(): void {
    if (this.declared.counting === 'samples') this.clear();
  }

  judge(t: number): RateVerdict {
    const w = this.declared.window;
    if (w.type === 'ring') {
      let calls = 0;
      let failures = 0;
      for (const b of this.ring) {
        calls += b.calls;
        failures += b.failures;
      }
      const must = this.holds(calls, failures, -TOLERANCE);
      return { must, may: this.holds(calls, failures, TOLERANCE), calls, failures };
    }
    const es = this.entries;
    let narrow: number;
    let wide: number;
    if (w.type === 'count') {
      let calls = 0;
      let i = es.length;
      while (i > 0 && calls < w.size) calls += es[--i]!.call;
      narrow = wide = i;
    } else if (w.type === 'time') {
      narrow = wide = firstIndex(es, (e) => e.t > t - w.duration);
    } else {
      const interval = Math.floor(w.duration / w.buckets);
      wide = firstIndex(es, (e) => e.t >= t - w.buckets * interval);
      narrow = firstIndex(es, (e) => e.t > t - (w.buckets - 1) * interval);
    }
    let calls = 0;
    let failures = 0;
    for (let i = es.length - 1; i >= narrow; i--) {
      calls += es[i]!.call;
      failures += es[i]!.failure;
    }
    let must = this.holds(calls, failures, -TOLERANCE);
    let may = this.holds(calls, failures, TOLERANCE);
    for (let i = narrow - 1; i >= wide; i--) {
      calls += es[i]!.call;
      failures += es[i]!.failure;
      must &&= this.holds(calls, failures, -TOLERANCE);
      may ||= this.holds(calls, failures, TOLERANCE);
    }
    this.prune(t);
    return { must, may, calls, failures };
  }

  /** The rule at these counts; `slack` > 0 leans toward holding, < 0 away (`>=` stays exact when leaning away). */
  private holds(calls: number, failures: number, slack: number): boolean {
    const d = this.declared;
    if (calls < d.minimumCalls) return false;
    // cockatiel's own arithmetic, so ties are exact: no tolerance.
    if (d.counting === 'samples')
      return d.comparison === '>' ? failures > d.threshold * calls : failures >= d.threshold * calls;
    const rate = failures / calls;
    if (d.comparison === '>') return rate > d.threshold - slack;
    return rate >= d.threshold - Math.max(slack, 0);
  }

  private push(e: Entry): void {
    const w = this.declared.window;
    if (w.type !== 'ring') {
      this.entries.push(e);
      return;
    }
    const r = this.clockResolution;
    const now = r > 0 ? Math.floor(e.t / r) * r : e.t;
    let bucket = this.ring[this.current]!;
    if (now - bucket.start >= w.bucketDuration) {
      this.current = (this.current + 1) % this.ring.length;
      bucket = this.ring[this.current]!;
      bucket.start = now;
      bucket.calls = 0;
      bucket.failures = 0;
    }
    bucket.calls += e.call;
    bucket.failures += e.failure;
  }

  private clear(): void {
    this.entries = [];
    for (const b of this.ring) {
      b.start = Number.NEGATIVE_INFINITY;
      b.calls = 0;
      b.failures = 0;
    }
  }

  /** Drops entries no later window can hold (time windows only). */
  private prune(t: number): void {
    const w = this.declared.window;
    if (w.type === 'count' || w.type === 'ring' || this.entries.length < 4096) return;
    const keep = firstIndex(this.entries, (e) => e.t >= t - w.duration - 1);
    if (keep > 0) this.entries = this.entries.slice(keep);
  }
}

/** The first index whose entry satisfies `ok` (entries are in time order), or the length. */
function firstIndex(es: readonly Entry[], ok: (e: Entry) => boolean): number {
  let lo = 0;
  let hi = es.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(es[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

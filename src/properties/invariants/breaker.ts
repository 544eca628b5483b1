/*
 * `invariants.breaker()`: a reference model of the circuit breaker rules
 * (DESIGN.md, resilience semantics), replayed over each breaker's events and
 * compared with what the breaker did. It works for eager half-open designs (a
 * timer moves open → half-open at `openedAt + timeout`) and lazy ones (the first
 * call after it does), so it judges faultline's breaker and instrumented ones
 * (`faultline/adapters`) alike. Rules:
 *
 * - closed never rejects;
 * - no call is admitted while open before `openedAt + timeout`; a call at or
 *   after it is admitted as a probe (half-open never before it), except that
 *   an eager breaker may still reject at exactly that instant, its timer not
 *   yet run;
 * - probes in flight ≤ `maxConcurrentCalls`; half-open rejects only when full;
 * - it opens exactly when consecutive failures reach `failureThreshold`
 *   (consecutive mode), or, in rate mode with a declared `window`, when the
 *   failure rate over that window reaches the threshold (`breaker-rate.ts`);
 *   it closes after exactly `successThreshold` probe successes; a probe
 *   failure reopens it;
 * - a late result (a call admitted in an earlier phase) changes nothing;
 * - only legal transitions.
 *
 * Events read: `breaker.declared` (the declaration), `breaker.state`,
 * `breaker.admitted` / `.success` / `.failure` / `.ignored` / `.late` (with the
 * `phase` the call was admitted in) and `breaker.rejected`. Only the first
 * violation per breaker is reported: later ones are usually its consequences.
 *
 * A breaker that reads time from `Date.now()` (cockatiel) sees whole
 * milliseconds while virtual time is fractional: it declares
 * `clockResolution: 1` and "open until openedAt + timeout" is judged on times
 * floored to that resolution, as the breaker itself compares them.
 */
import { checkOptions } from '../../options/validate.js';
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { type DeclaredRate, type DeclaredRateWindow, RateModel } from './breaker-rate.js';
import { byActor, num, str } from './trace-groups.js';

/** The configuration a breaker declares in `breaker.declared`. */
export interface DeclaredBreaker {
  failureThreshold: number;
  successThreshold: number;
  /** Open → half-open delay in ms. */
  timeout: number;
  maxConcurrentCalls: number;
  mode: 'consecutive' | 'rate';
  /** `eager`: half-opens on a timer at exactly `openedAt + timeout`; `lazy`: on the first call after it. */
  halfOpen: 'eager' | 'lazy';
  /** Longest stay in half-open, ms, when declared. */
  maxWaitInHalfOpen?: number;
  /** Rate mode with a declared window: how it opens. Without it, a rate breaker's opening is not judged. */
  rate?: DeclaredRate;
  /** Granularity of the breaker's own clock, ms (1 for `Date.now()`); 0: exact. */
  clockResolution: number;
}

export interface BreakerInvariantOptions {
  /** Judge only the breaker with this name (trace actor). Default: every breaker in the trace. */
  name?: string;
}

type State = 'closed' | 'open' | 'half-open' | 'isolated';
const MANUAL = new Set(['isolate', 'reset', 'release']);
const NAME = 'breaker';

/** Reads a `breaker.declared` event's data into a declaration (defaults for missing keys). */
export function declaredBreaker(e: TraceEvent): DeclaredBreaker {
  const mode = str(e, 'mode') === 'rate' ? 'rate' : 'consecutive';
  const halfOpen = str(e, 'halfOpen') === 'eager' ? 'eager' : 'lazy';
  const d: DeclaredBreaker = {
    failureThreshold: num(e, 'failureThreshold') ?? 5,
    successThreshold: num(e, 'successThreshold') ?? 3,
    timeout: num(e, 'timeout') ?? 30_000,
    maxConcurrentCalls: num(e, 'maxConcurrentCalls') ?? 2,
    mode,
    halfOpen,
    clockResolution: num(e, 'clockResolution') ?? 0,
  };
  const maxWait = num(e, 'maxWaitInHalfOpen');
  if (maxWait !== undefined) d.maxWaitInHalfOpen = maxWait;
  const window = rateWindow(e.data?.window);
  if (mode === 'rate' && window !== undefined) {
    d.rate = {
      threshold: num(e, 'failureRateThreshold') ?? 0.5,
      minimumCalls: num(e, 'minimumCalls') ?? 1,
      window,
      comparison: str(e, 'rateComparison') === '>' ? '>' : '>=',
      counting: counting(str(e, 'rateCounting')),
    };
  }
  return d;
}

function counting(c: string | undefined): DeclaredRate['counting'] {
  return c === 'fires' || c === 'samples' ? c : 'outcomes';
}

function rateWindow(w: unknown): DeclaredRateWindow | undefined {
  if (typeof w !== 'object' || w === null) return undefined;
  const o = w as Record<string, unknown>;
  const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (o.type === 'count' && positive(o.size)) return { type: 'count', size: o.size };
  if (o.type === 'time' && positive(o.duration)) return { type: 'time', duration: o.duration };
  if (o.type === 'buckets' && positive(o.duration) && positive(o.buckets))
    return { type: 'buckets', duration: o.duration, buckets: o.buckets };
  if (
    o.type === 'ring' &&
    positive(o.buckets) &&
    typeof o.bucketDuration === 'number' &&
    o.bucketDuration >= 0
  )
    return { type: 'ring', buckets: o.buckets, bucketDuration: o.bucketDuration };
  return undefined;
}

/** The model's view of one breaker while its events are replayed. */
class BreakerModel {
  state: State = 'closed';
  openedAt = 0;
  halfOpenedAt = 0;
  consecutive = 0;
  probes = 0;
  probeSuccesses = 0;
  /** Model phase: increments on every transition. */
  index = 0;
  /** Phase id the breaker reported at admission → model phase and its state. */
  readonly phases = new Map<number, { index: number; state: State }>();
  /** A transition the rules require next, and why. */
  pending: { to: State; why: string; expected: unknown; actual: unknown } | undefined;
  /** The previous event settled a late call (for a clearer message if a transition follows). */
  lateJustSettled = false;
  /** Rate mode: the failure-rate window, replayed. */
  readonly rate: RateModel | undefined;
  /** The previous event left the failure rate at a level that may open the breaker. */
  rateMayOpen = false;
  /** Calls and failures in the window at the previous outcome (for messages). */
  lastRate: { calls: number; failures: number } = { calls: 0, failures: 0 };

  constructor(readonly declared: DeclaredBreaker) {
    this.rate = declared.rate ? new RateModel(declared.rate, declared.clockResolution) : undefined;
  }

  get halfOpenDue(): number {
    return this.openedAt + this.declared.timeout;
  }

  /** Whether openedAt + timeout has come at `t`, on the breaker's own clock resolution. */
  dueAt(t: number): boolean {
    const r = this.declared.clockResolution;
    if (!(r > 0)) return t >= this.halfOpenDue;
    return Math.floor(t / r) * r - Math.floor(this.openedAt / r) * r >= this.declared.timeout;
  }

  enter(to: State, t: number): void {
    this.state = to;
    this.index++;
    this.probes = 0;
    this.probeSuccesses = 0;
    this.pending = undefined;
    if (to === 'open' || to === 'isolated') this.openedAt = t;
    if (to === 'half-open') this.halfOpenedAt = t;
    if (to === 'closed') {
      this.consecutive = 0;
      this.rate?.closed();
    }
  }
}

/**
 * Breaker safety rules for every breaker in the trace (or the one named).
 *
 * @example
 * ```ts
 * expect(invariants.breaker().check(result.trace)).toEqual([]);
 * ```
 */
export function breaker(options?: BreakerInvariantOptions): Invariant {
  const o = checkOptions('invariants.breaker', options, ['name']);
  return {
    name: NAME,
    check(trace) {
      const out: Violation[] = [];
      for (const events of byActor(trace, 'breaker', o.name).values()) {
        const v = checkBreaker(events);
        if (v) out.push(v);
      }
      return out;
    },
  };
}

function checkBreaker(events: readonly TraceEvent[]): Violation | undefined {
  let m: BreakerModel | undefined;
  for (const e of events) {
    if (e.kind === 'breaker.declared') {
      m = new BreakerModel(declaredBreaker(e));
      continue;
    }
    if (m === undefined) continue; // undeclared breaker: nothing to judge against
    const v = step(m, e);
    if (v) return v;
  }
  if (m?.pending) {
    const last = events[events.length - 1];
    return violation(
      NAME,
      `${m.pending.why}, but the trace ended first`,
      last,
      m.pending.expected,
      m.pending.actual,
    );
  }
  return undefined;
}

const JUDGED = new Set([
  'breaker.state',
  'breaker.admitted',
  'breaker.rejected',
  'breaker.success',
  'breaker.failure',
  'breaker.ignored',
  'breaker.late',
]);

function step(m: BreakerModel, e: TraceEvent): Violation | undefined {
  if (!JUDGED.has(e.kind)) return undefined;
  const d = m.declared;
  const name = e.actor ?? 'breaker';
  const lateBefore = m.lateJustSettled;
  m.lateJustSettled = false;
  const rateMayOpen = m.rateMayOpen;
  m.rateMayOpen = false;
  if (m.pending && e.kind !== 'breaker.state') {
    const p = m.pending;
    return violation(
      NAME,
      `${p.why}, but "${name}" went on (${e.kind}) without that transition`,
      e,
      p.expected,
      p.actual,
    );
  }
  // An eager breaker half-opens on a timer: nothing of it may happen later while still open.
  if (
    m.state === 'open' &&
    d.halfOpen === 'eager' &&
    e.t > m.halfOpenDue + d.clockResolution &&
    e.kind !== 'breaker.state'
  ) {
    return violation(
      NAME,
      `"${name}" (eager half-open) was still open at ${e.t} ms, after openedAt + timeout = ${m.halfOpenDue} ms`,
      e,
      `half-open at ${m.halfOpenDue} ms`,
      'open',
    );
  }
  switch (e.kind) {
    case 'breaker.state':
      return transition(m, e, name, lateBefore, rateMayOpen);
    case 'breaker.admitted':
      return admitted(m, e, name);
    case 'breaker.rejected':
      return rejected(m, e, name);
    case 'breaker.success':
    case 'breaker.failure':
    case 'breaker.ignored':
    case 'breaker.late':
      return settled(m, e, name);
    default:
      return undefined;
  }
}

function transition(
  m: BreakerModel,
  e: TraceEvent,
  name: string,
  lateBefore: boolean,
  rateMayOpen: boolean,
): Violation | undefined {
  const state = m.state;
  const v = judgeTransition(m, e, name, rateMayOpen);
  if (v === undefined || !lateBefore) return v;
  return violation(
    NAME,
    `a late result (of a call admitted before the last transition) changed "${name}": ${str(e, 'from')} → ${str(e, 'to')}; late results must change nothing`,
    e,
    `${state}, unchanged`,
    str(e, 'to'),
  );
}

function judgeTransition(
  m: BreakerModel,
  e: TraceEvent,
  name: string,
  rateMayOpen: boolean,
): Violation | undefined {
  const d = m.declared;
  const from = str(e, 'from') as State | undefined;
  const to = str(e, 'to') as State | undefined;
  const reason = str(e, 'reason') ?? '';
  if (to === undefined) return undefined;
  if (MANUAL.has(reason)) {
    m.enter(to, e.t);
    return undefined;
  }
  const pending = m.pending;
  if (pending && pending.to === to) {
    m.enter(to, e.t);
    return undefined;
  }
  if (pending) {
    return violation(NAME, `${pending.why}, but "${name}" went ${from} → ${to} instead`, e, pending.to, to);
  }
  const state = m.state;
  if (state === 'open' && to === 'half-open') {
    if (!m.dueAt(e.t)) {
      return violation(
        NAME,
        `"${name}" half-opened at ${e.t} ms, before openedAt + timeout = ${m.openedAt} + ${d.timeout} = ${m.halfOpenDue} ms`,
        e,
        `>= ${m.halfOpenDue} ms`,
        e.t,
      );
    }
    m.enter('half-open', e.t);
    return undefined;
  }
  if (state === 'closed' && to === 'open') {
    if (d.mode === 'rate' && (m.rate === undefined || rateMayOpen)) {
      m.enter('open', e.t);
      return undefined;
    }
    if (m.rate !== undefined) {
      const r = d.rate!;
      const { calls, failures } = m.lastRate;
      return violation(
        NAME,
        `"${name}" opened with ${failures} failure(s) in ${calls} call(s) in its window; it must open only when calls >= minimumCalls ${r.minimumCalls} and failures / calls ${r.comparison} ${r.threshold}`,
        e,
        `failures / calls ${r.comparison} ${r.threshold} over >= ${r.minimumCalls} call(s)`,
        `${failures} / ${calls}`,
      );
    }
    return violation(
      NAME,
      `"${name}" opened after ${m.consecutive} consecutive failure(s); it must open exactly when they reach failureThreshold ${d.failureThreshold}`,
      e,
      d.failureThreshold,
      m.consecutive,
    );
  }
  if (state === 'half-open' && to === 'closed') {
    return violation(
      NAME,
      `"${name}" closed after ${m.probeSuccesses} probe success(es); it must close after exactly successThreshold ${d.successThreshold}`,
      e,
      d.successThreshold,
      m.probeSuccesses,
    );
  }
  if (state === 'half-open' && to === 'open') {
    if (reason === 'half-open-max-wait' && d.maxWaitInHalfOpen !== undefined) {
      if (e.t >= m.halfOpenedAt + d.maxWaitInHalfOpen) {
        m.enter('open', e.t);
        return undefined;
      }
    }
    return violation(
      NAME,
      `"${name}" reopened from half-open without a probe failure`,
      e,
      'half-open',
      'open',
    );
  }
  return violation(
    NAME,
    `illegal transition for "${name}": ${from} → ${to} (${reason || 'no reason'}) while the model is ${state}`,
    e,
    `a legal transition from ${state}`,
    `${from} → ${to}`,
  );
}

function admitted(m: BreakerModel, e: TraceEvent, name: string): Violation | undefined {
  const d = m.declared;
  m.rate?.fire(e.t);
  if (m.state === 'open') {
    if (!m.dueAt(e.t)) {
      return violation(
        NAME,
        `"${name}" admitted a call while open, at ${e.t} ms, before openedAt + timeout = ${m.halfOpenDue} ms`,
        e,
        'rejected',
        'admitted',
      );
    }
    m.enter('half-open', e.t); // a lazy breaker half-opens on this call
  }
  if (m.state === 'isolated') {
    return violation(NAME, `"${name}" admitted a call while isolated`, e, 'rejected', 'admitted');
  }
  if (m.state === 'half-open') {
    if (m.probes >= d.maxConcurrentCalls) {
      return violation(
        NAME,
        `"${name}" admitted probe ${m.probes + 1} while ${m.probes} probe(s) were in flight; maxConcurrentCalls is ${d.maxConcurrentCalls}`,
        e,
        `<= ${d.maxConcurrentCalls} probes in flight`,
        m.probes + 1,
      );
    }
    m.probes++;
  }
  const phase = num(e, 'phase');
  if (phase !== undefined) {
    const known = m.phases.get(phase);
    if (known === undefined || known.index !== m.index)
      m.phases.set(phase, { index: m.index, state: m.state });
  }
  return undefined;
}

function rejected(m: BreakerModel, e: TraceEvent, name: string): Violation | undefined {
  const d = m.declared;
  m.rate?.fire(e.t);
  if (m.state === 'closed') {
    return violation(
      NAME,
      `"${name}" rejected a call while closed; closed never rejects`,
      e,
      'admitted',
      'rejected',
    );
  }
  // An eager breaker's half-open timer and a call at that same instant run in either order
  // (timers due together: creation order, or the seed's with ties: 'random'): rejecting then is allowed.
  const tie = d.halfOpen === 'eager' && e.t <= m.halfOpenDue + d.clockResolution;
  if (m.state === 'open' && m.dueAt(e.t) && !tie) {
    return violation(
      NAME,
      `"${name}" rejected a call at ${e.t} ms, at or after openedAt + timeout = ${m.halfOpenDue} ms: it must be admitted as a probe (the breaker never half-opened)`,
      e,
      'admitted as a probe',
      'rejected',
    );
  }
  if (m.state === 'half-open' && m.probes < d.maxConcurrentCalls) {
    return violation(
      NAME,
      `"${name}" rejected a call in half-open with ${m.probes} of ${d.maxConcurrentCalls} probe slot(s) in use`,
      e,
      'admitted as a probe',
      'rejected',
    );
  }
  return undefined;
}

function settled(m: BreakerModel, e: TraceEvent, name: string): Violation | undefined {
  const d = m.declared;
  const phase = num(e, 'phase');
  if (phase === undefined) return undefined; // a breaker that does not report phases: outcomes are not judged
  const admittedIn = m.phases.get(phase);
  if (admittedIn === undefined) {
    return violation(NAME, `"${name}" reported the result of a call it never admitted (phase ${phase})`, e);
  }
  const outcome = e.kind === 'breaker.late' ? str(e, 'outcome') : e.kind.slice('breaker.'.length);
  if (m.rate?.declared.counting === 'samples') sample(m.rate, e, admittedIn.state, outcome);
  if (admittedIn.index !== m.index) {
    m.lateJustSettled = true;
    // `fires` counting counts every reported failure, late or not: the breaker may act on it
    // (and is then caught by the late-result rule), so the window must hold it.
    if (m.rate?.declared.counting === 'fires' && outcome === 'failure') m.rate.outcome(e.t, true);
    return undefined;
  }
  if (admittedIn.state === 'half-open') {
    m.probes--;
    if (m.rate?.declared.counting === 'fires' && outcome === 'failure') m.rate.outcome(e.t, true);
    if (outcome === 'success') {
      m.probeSuccesses++;
      if (m.probeSuccesses >= d.successThreshold) {
        m.pending = {
          to: 'closed',
          why: `${m.probeSuccesses} probe success(es) reached successThreshold ${d.successThreshold}, so "${name}" must close`,
          expected: 'closed',
          actual: 'half-open',
        };
      }
    } else if (outcome === 'failure') {
      m.pending = {
        to: 'open',
        why: `a probe of "${name}" failed, so it must reopen`,
        expected: 'open',
        actual: 'half-open',
      };
    }
    return undefined;
  }
  if (m.rate !== undefined && (outcome === 'success' || outcome === 'failure')) {
    const failed = outcome === 'failure';
    const counting = m.rate.declared.counting;
    if (counting === 'fires' || (counting === 'outcomes' && admittedIn.state === 'closed'))
      m.rate.outcome(e.t, failed);
    if (m.state === 'closed') rateRule(m, e, name, failed);
  }
  if (outcome === 'success') m.consecutive = 0;
  else if (outcome === 'failure') {
    m.consecutive++;
    if (d.mode === 'consecutive' && m.consecutive >= d.failureThreshold) {
      m.pending = {
        to: 'open',
        why: `${m.consecutive} consecutive failure(s) reached failureThreshold ${d.failureThreshold}, so "${name}" must open`,
        expected: 'open',
        actual: 'closed',
      };
    }
  }
  return undefined;
}

/** Rate mode, closed: after an outcome the breaker may open when the rule can hold, and must after a failure when it surely holds. */
function rateRule(m: BreakerModel, e: TraceEvent, name: string, failed: boolean): void {
  const r = m.declared.rate!;
  const v = m.rate!.judge(e.t);
  m.lastRate = { calls: v.calls, failures: v.failures };
  // A `samples` breaker (cockatiel) decides only when told of a failure.
  m.rateMayOpen = v.may && (failed || r.counting !== 'samples');
  if (failed && v.must) {
    m.pending = {
      to: 'open',
      why: `${v.failures} failure(s) in ${v.calls} call(s) reached failures / calls ${r.comparison} ${r.threshold} (minimumCalls ${r.minimumCalls}), so "${name}" must open`,
      expected: 'open',
      actual: 'closed',
    };
  }
}

/**
 * `samples` counting: every success and failure the breaker's strategy is told
 * is sampled, whatever the phase; a probe's success empties the window first.
 * A success that carries an error (cockatiel: an error the policy does not
 * handle, which closes a half-open breaker) was never told to it.
 */
function sample(rate: RateModel, e: TraceEvent, admittedIn: State, outcome: string | undefined): void {
  if (outcome !== 'success' && outcome !== 'failure') return;
  if (outcome === 'success' && e.data?.error !== undefined) return;
  if (outcome === 'success' && admittedIn === 'half-open') rate.probeSucceeded();
  rate.outcome(e.t, outcome === 'failure');
}

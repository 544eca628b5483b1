/*
 * `invariants.retry()`: each execution of each retry policy, replayed from its
 * events and judged against the configuration the policy declared
 * (`retry.declared`). Rules (DESIGN.md, resilience semantics):
 *
 * - at most `maxRetries` retries (`maxRetries + 1` attempts);
 * - never retries an error classified permanent (the class traced with the
 *   failure: `classifyError`'s, or the policy's own classifier);
 * - each delay (next attempt's time − the failure's time) within the declared
 *   backoff and jitter bounds and ≤ `maxDelay`, unless a Retry-After asks for
 *   more; never shorter than the Retry-After;
 * - a traced delay (`retry.scheduled`) equals the delay actually slept;
 * - no attempt after the caller's signal aborted (`retry.abort`).
 *
 * Executions are told apart by the `call` number on every event. The bounds are
 * computed here, independently of `resilience/backoff.ts`, in log space so huge
 * attempt numbers never overflow.
 */
import { checkOptions } from '../../options/validate.js';
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { byActor, EPSILON, num, str } from './trace-groups.js';

export type DeclaredJitter = 'none' | 'full' | 'equal' | 'decorrelated' | 'proportional';

/** The configuration a retry policy declares in `retry.declared` (durations in ms). */
export interface DeclaredRetry {
  maxRetries: number;
  baseDelay: number;
  maxDelay: number;
  backoffFactor: number;
  jitter: DeclaredJitter;
  jitterRatio: number;
}

export interface RetryInvariantOptions {
  /** Judge only the policy with this name (trace actor). Default: every retry policy in the trace. */
  name?: string;
}

const NAME = 'retry';
const JITTERS: readonly DeclaredJitter[] = ['none', 'full', 'equal', 'decorrelated', 'proportional'];

/** Reads a `retry.declared` event into a declaration (defaults for missing keys). */
export function declaredRetry(e: TraceEvent): DeclaredRetry {
  const jitter = str(e, 'jitter') as DeclaredJitter | undefined;
  return {
    maxRetries: num(e, 'maxRetries') ?? 3,
    baseDelay: num(e, 'baseDelay') ?? 1000,
    maxDelay: num(e, 'maxDelay') ?? 30_000,
    backoffFactor: num(e, 'backoffFactor') ?? 2,
    jitter: jitter !== undefined && JITTERS.includes(jitter) ? jitter : 'full',
    jitterRatio: num(e, 'jitterRatio') ?? 0.1,
  };
}

/** `min(maxDelay, baseDelay × backoffFactor^(n−1))`, overflow-safe. */
export function backoffCeiling(n: number, d: DeclaredRetry): number {
  const { baseDelay: base, maxDelay: max, backoffFactor: factor } = d;
  if (!(base > 0)) return 0;
  const exponent = Math.max(n - 1, 0);
  if (factor > 1 && exponent * Math.log(factor) >= Math.log(max / base)) return max;
  return Math.min(base * factor ** exponent, max);
}

/**
 * [low, high] for the delay before retry `n` under the declared jitter. `previous`
 * is the last backoff delay (decorrelated jitter); `null` when unknown.
 */
export function delayBounds(n: number, d: DeclaredRetry, previous?: number | null): [number, number] {
  const max = d.maxDelay;
  const x = backoffCeiling(n, d);
  switch (d.jitter) {
    case 'none':
      return [x, x];
    case 'full':
      return [0, x];
    case 'equal':
      return [x / 2, x];
    case 'proportional':
      return [Math.min(x * (1 - d.jitterRatio), max), Math.min(x * (1 + d.jitterRatio), max)];
    case 'decorrelated': {
      const base = Math.min(d.baseDelay, max);
      if (previous === null) return [base, max];
      const prev = previous !== undefined && previous > d.baseDelay ? previous : d.baseDelay;
      return [base, Math.min(max, 3 * prev)];
    }
  }
}

interface Execution {
  attempts: number;
  failure:
    | { t: number; attempt: number; kind: string; reason: string; retryAfter: number | undefined }
    | undefined;
  scheduled: { t: number; delay: number } | undefined;
  /** The previous backoff delay (decorrelated jitter), `null` when unknown (a Retry-After overrode it). */
  previous: number | undefined | null;
  abortedAt: number | undefined;
}

/**
 * Retry rules for every retry policy in the trace (or the one named).
 *
 * @example
 * ```ts
 * expect(invariants.retry().check(result.trace)).toEqual([]);
 * ```
 */
export function retry(options?: RetryInvariantOptions): Invariant {
  const o = checkOptions('invariants.retry', options, ['name']);
  return {
    name: NAME,
    check(trace) {
      const out: Violation[] = [];
      for (const events of byActor(trace, 'retry', o.name).values()) {
        const v = checkPolicy(events);
        if (v) out.push(v);
      }
      return out;
    },
  };
}

function checkPolicy(events: readonly TraceEvent[]): Violation | undefined {
  let d: DeclaredRetry | undefined;
  const runs = new Map<number, Execution>();
  for (const e of events) {
    if (e.kind === 'retry.declared') {
      d = declaredRetry(e);
      runs.clear();
      continue;
    }
    const call = num(e, 'call');
    if (d === undefined || call === undefined) continue;
    let x = runs.get(call);
    if (x === undefined) {
      x = {
        attempts: 0,
        failure: undefined,
        scheduled: undefined,
        previous: undefined,
        abortedAt: undefined,
      };
      runs.set(call, x);
    }
    const v = stepRetry(d, x, e);
    if (v) return v;
  }
  return undefined;
}

function stepRetry(d: DeclaredRetry, x: Execution, e: TraceEvent): Violation | undefined {
  const name = e.actor ?? 'retry';
  switch (e.kind) {
    case 'retry.failed':
      x.failure = {
        t: e.t,
        attempt: num(e, 'attempt') ?? x.attempts,
        kind: str(e, 'class') ?? 'transient',
        reason: str(e, 'reason') ?? 'unknown',
        retryAfter: num(e, 'retryAfter'),
      };
      return undefined;
    case 'retry.scheduled': {
      const delay = e.data?.delay;
      if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
        return violation(
          NAME,
          `"${name}" scheduled a retry with delay ${String(delay)}`,
          e,
          'a finite delay >= 0',
          delay,
        );
      }
      const permanent = permanentRetry(x, e, name);
      if (permanent) return permanent;
      x.scheduled = { t: e.t, delay };
      return undefined;
    }
    case 'retry.abort':
      x.abortedAt = e.t;
      return undefined;
    case 'retry.attempt':
      return attempt(d, x, e, name);
    default:
      return undefined;
  }
}

function permanentRetry(x: Execution, e: TraceEvent, name: string): Violation | undefined {
  const f = x.failure;
  if (f === undefined || f.kind !== 'permanent') return undefined;
  return violation(
    NAME,
    `"${name}" retried after attempt ${f.attempt} failed with a permanent error (${f.reason}); permanent errors are never retried`,
    e,
    'no retry',
    'retry',
  );
}

function attempt(d: DeclaredRetry, x: Execution, e: TraceEvent, name: string): Violation | undefined {
  const n = num(e, 'attempt') ?? x.attempts + 1;
  x.attempts = n;
  if (n === 1) return undefined;
  if (x.abortedAt !== undefined) {
    return violation(
      NAME,
      `"${name}" made attempt ${n} at ${e.t} ms after the caller's signal aborted at ${x.abortedAt} ms`,
      e,
      'no attempt after abort',
      `attempt ${n}`,
    );
  }
  if (n > d.maxRetries + 1) {
    return violation(
      NAME,
      `"${name}" made attempt ${n}: that is ${n - 1} retries, more than maxRetries ${d.maxRetries}`,
      e,
      `<= ${d.maxRetries + 1} attempts`,
      n,
    );
  }
  const permanent = permanentRetry(x, e, name);
  if (permanent) return permanent;
  const f = x.failure;
  if (f === undefined) return undefined;
  const slept = e.t - f.t;
  const retryNumber = n - 1;
  const scheduled = x.scheduled;
  x.scheduled = undefined;
  if (scheduled !== undefined && !near(scheduled.delay, slept)) {
    return violation(
      NAME,
      `"${name}" traced a delay of ${scheduled.delay} ms before attempt ${n} but waited ${slept} ms`,
      e,
      scheduled.delay,
      slept,
    );
  }
  const [low, high] = delayBounds(retryNumber, d, x.previous);
  const ra = f.retryAfter;
  if (ra !== undefined) {
    x.previous = null;
    if (slept < ra - tolerance(ra)) {
      return violation(
        NAME,
        `"${name}" waited ${slept} ms before attempt ${n}, less than the ${ra} ms the server asked for (Retry-After)`,
        e,
        `>= ${ra} ms`,
        slept,
      );
    }
    const cap = Math.max(high, ra);
    if (slept > cap + tolerance(cap)) {
      return violation(
        NAME,
        `"${name}" waited ${slept} ms before attempt ${n}, more than both the backoff bound ${high} ms and the Retry-After ${ra} ms`,
        e,
        `<= ${cap} ms`,
        slept,
      );
    }
    return undefined;
  }
  x.previous = slept;
  if (slept < low - tolerance(low) || slept > high + tolerance(high)) {
    const capped = slept > d.maxDelay + tolerance(d.maxDelay) ? ` (maxDelay is ${d.maxDelay} ms)` : '';
    return violation(
      NAME,
      `"${name}" waited ${slept} ms before retry ${retryNumber}, outside the ${d.jitter}-jitter bounds [${low}, ${high}] ms${capped}`,
      e,
      [low, high],
      slept,
    );
  }
  return undefined;
}

function tolerance(x: number): number {
  return EPSILON * Math.max(1, Math.abs(x));
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= tolerance(Math.max(Math.abs(a), Math.abs(b)));
}

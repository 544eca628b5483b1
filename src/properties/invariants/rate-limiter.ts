/*
 * `invariants.rateLimiter()`: over every interval [a, b] a rate limiter grants at
 * most `burst + rate × (b − a)` calls (its `rate-limiter.declared` values). The
 * check is linear: a grant sequence meets that bound for every interval exactly
 * when a token bucket of `burst` tokens refilled at `rate`, full at the start,
 * could have served it (the arrival-curve / leaky-bucket equivalence); the
 * bucket is replayed and the first grant it could not serve is reported, with
 * the interval that breaks the bound.
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { byActor, EPSILON, num } from './trace-groups.js';

const NAME = 'rateLimiter';

/**
 * Rate-limit rules for every rate limiter in the trace.
 *
 * @example
 * ```ts
 * expect(invariants.rateLimiter().check(result.trace)).toEqual([]);
 * ```
 */
export function rateLimiter(): Invariant {
  return {
    name: NAME,
    check(trace) {
      const out: Violation[] = [];
      for (const events of byActor(trace, 'rate-limiter').values()) {
        const v = checkLimiter(events);
        if (v) out.push(v);
      }
      return out;
    },
  };
}

function checkLimiter(events: readonly TraceEvent[]): Violation | undefined {
  let intervalMs: number | undefined;
  let burst = 1;
  let ratePerMs = 0;
  let tat = Number.NEGATIVE_INFINITY;
  const grants: number[] = [];
  for (const e of events) {
    if (e.kind === 'rate-limiter.declared') {
      const perSecond = num(e, 'rate');
      burst = num(e, 'burst') ?? 1;
      ratePerMs = (perSecond ?? 0) / 1000;
      intervalMs = perSecond === undefined || perSecond <= 0 ? undefined : 1 / ratePerMs;
      tat = Number.NEGATIVE_INFINITY;
      grants.length = 0;
      continue;
    }
    if (intervalMs === undefined || e.kind !== 'rate-limiter.granted') continue;
    grants.push(e.t);
    tat = Math.max(tat, e.t);
    if (tat - e.t > (burst - 1) * intervalMs + EPSILON * Math.max(1, intervalMs)) {
      const [from, count] = worstInterval(grants, burst, ratePerMs);
      const bound = burst + ratePerMs * (e.t - from);
      return violation(
        NAME,
        `"${e.actor ?? 'rate-limiter'}" granted ${count} calls in [${from}, ${e.t}] ms; burst ${burst} + rate ${ratePerMs * 1000}/s × ${e.t - from} ms allows ${bound}`,
        e,
        `<= ${bound}`,
        count,
      );
    }
    tat += intervalMs;
  }
  return undefined;
}

/** The interval ending at the last grant whose count most exceeds the bound: [start, count]. */
function worstInterval(grants: readonly number[], burst: number, ratePerMs: number): [number, number] {
  const end = grants.length - 1;
  const last = grants[end]!;
  let best: [number, number] = [last, 1];
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = end; i >= 0; i--) {
    const count = end - i + 1;
    const excess = count - (burst + ratePerMs * (last - grants[i]!));
    if (excess > worst) {
      worst = excess;
      best = [grants[i]!, count];
    }
  }
  return best;
}

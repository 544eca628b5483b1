/*
 * `invariants.liveness.breakerRecloses()`: after the fault phase ends
 * (`sim.heal()`, traced as `sim.heal`), every breaker closes again, within
 * `within` when given, and is closed at the end of the run. Judged only from the
 * heal on (safety is the other invariants' job); a trace without `sim.heal`
 * has no liveness phase and passes.
 */
import { checkOptions } from '../../options/validate.js';
import { type Duration, duration } from '../../time/duration.js';
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { byActor, lastEvent, str } from './trace-groups.js';

export interface BreakerReclosesOptions {
  /** Longest time after the heal for each breaker to be closed. Default: by the end of the run. */
  within?: Duration;
  /** Judge only the breaker with this name. */
  name?: string;
}

const NAME = 'liveness.breakerRecloses';

/**
 * Every breaker is closed again after `sim.heal()` (within `within`, and at the end).
 *
 * @example
 * ```ts
 * invariants.liveness.breakerRecloses({ within: '2m' })
 * ```
 */
export function breakerRecloses(options?: BreakerReclosesOptions): Invariant {
  const o = checkOptions('invariants.liveness.breakerRecloses', options, ['within', 'name']);
  const within =
    o.within === undefined
      ? undefined
      : duration(o.within, 'invariants.liveness.breakerRecloses({ within })');
  return {
    name: NAME,
    check(trace) {
      const heal = trace.ofKind('sim.heal')[0];
      if (heal === undefined) return [];
      const end = lastEvent(trace)!;
      const out: Violation[] = [];
      for (const [name, events] of byActor(trace, 'breaker', o.name)) {
        const v = recloses(name, events, heal, end, within);
        if (v) out.push(v);
      }
      return out;
    },
  };
}

function recloses(
  name: string,
  events: readonly TraceEvent[],
  heal: TraceEvent,
  end: TraceEvent,
  within: number | undefined,
): Violation | undefined {
  let state = 'closed';
  // Since when the breaker has been closed for good: the heal, or its last transition to closed after it.
  let closedSince = heal.t;
  for (const e of events) {
    if (e.kind !== 'breaker.state') continue;
    state = str(e, 'to') ?? state;
    if (e.seq > heal.seq && state === 'closed') closedSince = e.t;
  }
  if (state !== 'closed') {
    return violation(
      NAME,
      `breaker "${name}" was ${state} at the end of the run (${end.t} ms), ${end.t - heal.t} ms after the heal at ${heal.t} ms; it must close again`,
      end,
      'closed',
      state,
    );
  }
  if (within !== undefined && closedSince - heal.t > within) {
    return violation(
      NAME,
      `breaker "${name}" closed ${closedSince - heal.t} ms after the heal at ${heal.t} ms, later than within = ${within} ms`,
      heal,
      `<= ${within} ms`,
      closedSince - heal.t,
    );
  }
  return undefined;
}

/*
 * `invariants.timeout()`: no caller waits past its timeout. For each call of
 * each timeout policy (`timeout.started` … `timeout.end`, matched by `call`):
 * the signal aborts at exactly start + timeout if the call is still running
 * (`timeout.timed-out`), never earlier; in aggressive mode (the default) the
 * caller's promise settles no later than start + timeout. Cooperative mode waits
 * for the callee by design, so only the abort time is judged there.
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { byActor, EPSILON, num, str } from './trace-groups.js';

const NAME = 'timeout';

/**
 * Timeout rules for every timeout policy in the trace.
 *
 * @example
 * ```ts
 * expect(invariants.timeout().check(result.trace)).toEqual([]);
 * ```
 */
export function timeout(): Invariant {
  return {
    name: NAME,
    check(trace) {
      const out: Violation[] = [];
      for (const events of byActor(trace, 'timeout').values()) {
        const v = checkPolicy(events);
        if (v) out.push(v);
      }
      return out;
    },
  };
}

function checkPolicy(events: readonly TraceEvent[]): Violation | undefined {
  let mode = 'aggressive';
  const calls = new Map<number, { start: number; timeout: number; ended: boolean }>();
  for (const e of events) {
    const name = e.actor ?? 'timeout';
    if (e.kind === 'timeout.declared') {
      mode = str(e, 'mode') ?? 'aggressive';
      continue;
    }
    const call = num(e, 'call');
    if (call === undefined) continue;
    if (e.kind === 'timeout.started') {
      calls.set(call, { start: e.t, timeout: num(e, 'timeout') ?? Number.POSITIVE_INFINITY, ended: false });
      continue;
    }
    const c = calls.get(call);
    if (c === undefined) continue;
    const deadline = c.start + c.timeout;
    if (e.kind === 'timeout.timed-out' && Math.abs(e.t - deadline) > EPSILON * Math.max(1, deadline)) {
      return violation(
        NAME,
        `"${name}" call ${call} timed out at ${e.t} ms; its deadline was start ${c.start} + ${c.timeout} = ${deadline} ms`,
        e,
        deadline,
        e.t,
      );
    }
    if (e.kind === 'timeout.end') {
      if (c.ended) return violation(NAME, `"${name}" call ${call} ended twice`, e);
      c.ended = true;
      if (mode === 'aggressive' && e.t > deadline + EPSILON * Math.max(1, deadline)) {
        return violation(
          NAME,
          `the caller of "${name}" call ${call} waited until ${e.t} ms, past its deadline ${deadline} ms (start ${c.start} + timeout ${c.timeout})`,
          e,
          `<= ${deadline} ms`,
          e.t,
        );
      }
    }
  }
  return undefined;
}

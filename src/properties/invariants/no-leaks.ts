/*
 * `invariants.noLeaks()`: nothing is left running when the run ends: no
 * pending timer or task (`sim.end` counts them), no service call without its
 * `service.end`, no breaker call admitted and never settled. A breaker left
 * open holds its half-open timer, so a run that must pass this should heal and
 * let the breakers close (or use `until`). Opt-in: not in `invariants.all()`.
 */
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { num } from './trace-groups.js';

const NAME = 'noLeaks';

/**
 * No timer, task or in-flight call left at the end of the run.
 *
 * @example
 * ```ts
 * await checkResilience({ arbitraries, scenario, invariants: [...invariants.all(), invariants.noLeaks()] });
 * ```
 */
export function noLeaks(): Invariant {
  return {
    name: NAME,
    check(trace) {
      const end = trace.ofKind('sim.end')[0];
      if (end === undefined) return [];
      const out: Violation[] = [];
      const timers = num(end, 'pendingTimers') ?? 0;
      const tasks = num(end, 'pendingTasks') ?? 0;
      if (timers > 0)
        out.push(violation(NAME, `${timers} timer(s) still pending when the run ended`, end, 0, timers));
      if (tasks > 0)
        out.push(violation(NAME, `${tasks} task(s) still running when the run ended`, end, 0, tasks));
      const calls = new Map<string, number>();
      const admitted = new Map<string, number>();
      for (const e of trace.events) {
        const actor = e.actor ?? '';
        if (e.kind === 'service.call') calls.set(actor, (calls.get(actor) ?? 0) + 1);
        else if (e.kind === 'service.end') calls.set(actor, (calls.get(actor) ?? 0) - 1);
        else if (e.kind === 'breaker.admitted') admitted.set(actor, (admitted.get(actor) ?? 0) + 1);
        else if (
          e.kind === 'breaker.success' ||
          e.kind === 'breaker.failure' ||
          e.kind === 'breaker.ignored' ||
          e.kind === 'breaker.late'
        )
          admitted.set(actor, (admitted.get(actor) ?? 0) - 1);
      }
      for (const [service, n] of calls) {
        if (n > 0)
          out.push(
            violation(NAME, `${n} call(s) to service "${service}" still in flight at the end`, end, 0, n),
          );
      }
      for (const [breaker, n] of admitted) {
        if (n > 0)
          out.push(violation(NAME, `${n} call(s) admitted by breaker "${breaker}" never settled`, end, 0, n));
      }
      return out;
    },
  };
}

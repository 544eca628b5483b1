/*
 * `invariants.noSilentFailures()`: every injected fault that failed a call
 * reaches some outcome: a retry or a breaker saw it, a fallback ran, an agent
 * run, task or request failed, or user code said it handled it
 * (`sim.emit('fault.handled')`). None vanishes in a bare `catch {}`.
 *
 * The trace has no causal links between a service call and its caller, so the
 * check counts: each failed call with an injected fault (`service.end` with
 * outcome `error`/`aborted` after a `fault.injected` for that call) must be
 * followed by one outcome event not already used by an earlier failed call.
 * Opt-in: not in `invariants.all()`.
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant } from '../invariant.js';
import { violation } from '../invariant.js';
import { num } from './trace-groups.js';

const NAME = 'noSilentFailures';

function isOutcome(e: TraceEvent): boolean {
  switch (e.kind) {
    case 'retry.failed':
    case 'breaker.failure':
    case 'breaker.ignored':
    case 'breaker.late':
    case 'agent.fallback':
    case 'timeout.timed-out':
    case 'fault.handled':
      return true;
    case 'agent.end':
    case 'task.end':
      return e.data?.ok === false;
    case 'request.end':
      return e.data?.outcome !== 'success';
    default:
      return false;
  }
}

/**
 * Every injected fault that failed a call is seen by something (retry, breaker,
 * fallback, a failed run or request, or `fault.handled`).
 *
 * @example
 * ```ts
 * invariants.noSilentFailures()
 * ```
 */
export function noSilentFailures(): Invariant {
  return {
    name: NAME,
    check(trace) {
      const faulted = new Set<string>();
      const unseen: TraceEvent[] = [];
      for (const e of trace.events) {
        if (e.kind === 'fault.injected') {
          faulted.add(`${e.actor}\u0000${num(e, 'call')}`);
        } else if (e.kind === 'service.end') {
          const key = `${e.actor}\u0000${num(e, 'call')}`;
          const outcome = e.data?.outcome;
          if (faulted.has(key) && (outcome === 'error' || outcome === 'aborted')) unseen.push(e);
          faulted.delete(key);
        } else if (isOutcome(e) && unseen.length > 0) {
          unseen.shift();
        }
      }
      const first = unseen[0];
      if (first === undefined) return [];
      return [
        violation(
          NAME,
          `${unseen.length} injected fault(s) failed a call and reached no outcome (no retry, breaker, fallback, failed run or request, or fault.handled saw them); the first: call ${num(first, 'call')} of "${first.actor}"`,
          first,
          'an outcome for every failed call',
          `${unseen.length} unseen`,
        ),
      ];
    },
  };
}

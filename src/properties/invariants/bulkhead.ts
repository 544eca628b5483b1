/*
 * `invariants.bulkhead()`: each bulkhead's events replayed against its
 * declaration (`bulkhead.declared`): never more than `maxConcurrent` running or
 * `maxQueue` waiting; queued calls start in FIFO order (an abandoned waiter
 * leaves the queue); a call is only rejected when every slot and queue place is
 * taken, and never starts ahead of a waiting one.
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { byActor, num } from './trace-groups.js';

const NAME = 'bulkhead';

/**
 * Bulkhead rules for every bulkhead in the trace.
 *
 * @example
 * ```ts
 * expect(invariants.bulkhead().check(result.trace)).toEqual([]);
 * ```
 */
export function bulkhead(): Invariant {
  return {
    name: NAME,
    check(trace) {
      const out: Violation[] = [];
      for (const events of byActor(trace, 'bulkhead').values()) {
        const v = checkBulkhead(events);
        if (v) out.push(v);
      }
      return out;
    },
  };
}

function checkBulkhead(events: readonly TraceEvent[]): Violation | undefined {
  let maxConcurrent: number | undefined;
  let maxQueue = 0;
  let running = 0;
  const queue: number[] = [];
  for (const e of events) {
    const name = e.actor ?? 'bulkhead';
    if (e.kind === 'bulkhead.declared') {
      maxConcurrent = num(e, 'maxConcurrent');
      maxQueue = num(e, 'maxQueue') ?? 0;
      running = 0;
      queue.length = 0;
      continue;
    }
    if (maxConcurrent === undefined) continue; // undeclared: nothing to judge against
    const call = num(e, 'call');
    switch (e.kind) {
      case 'bulkhead.admitted': {
        const at = call === undefined ? -1 : queue.indexOf(call);
        if (at > 0) {
          return violation(
            NAME,
            `"${name}" started call ${call} ahead of call ${queue[0]}, queued before it (FIFO)`,
            e,
            queue[0],
            call,
          );
        }
        if (at < 0 && queue.length > 0) {
          return violation(
            NAME,
            `"${name}" started call ${call} at once while call ${queue[0]} was waiting`,
            e,
            queue[0],
            call,
          );
        }
        if (at === 0) queue.shift();
        running++;
        if (running > maxConcurrent) {
          return violation(
            NAME,
            `"${name}" has ${running} calls running; it declared maxConcurrent ${maxConcurrent}`,
            e,
            `<= ${maxConcurrent}`,
            running,
          );
        }
        break;
      }
      case 'bulkhead.released':
        running--;
        break;
      case 'bulkhead.queued':
        if (call !== undefined) queue.push(call);
        if (queue.length > maxQueue) {
          return violation(
            NAME,
            `"${name}" has ${queue.length} calls waiting; it declared maxQueue ${maxQueue}`,
            e,
            `<= ${maxQueue}`,
            queue.length,
          );
        }
        if (running < maxConcurrent && queue.length === 1) {
          return violation(
            NAME,
            `"${name}" queued call ${call} with a free slot (${running} of ${maxConcurrent} running)`,
            e,
          );
        }
        break;
      case 'bulkhead.abandoned': {
        const at = call === undefined ? -1 : queue.indexOf(call);
        if (at >= 0) queue.splice(at, 1);
        break;
      }
      case 'bulkhead.rejected':
        if (running < maxConcurrent || queue.length < maxQueue) {
          return violation(
            NAME,
            `"${name}" rejected call ${call} with room left (${running} of ${maxConcurrent} running, ${queue.length} of ${maxQueue} waiting)`,
            e,
          );
        }
        break;
    }
  }
  return undefined;
}

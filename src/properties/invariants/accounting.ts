/*
 * `invariants.accounting()`: every request and every call ends exactly once.
 * Pairs, matched by actor and id: workload requests (`request.start` /
 * `request.end`, by `i`), service calls (`service.call` / `service.end`, by
 * `call`), agent runs (`agent.start` / `agent.end`, by `run`), tasks
 * (`task.start` / `task.end`, by `task`), retry executions (first
 * `retry.attempt` / `retry.success` or `retry.gave-up`, by `call`) and timeout
 * calls (`timeout.started` / `timeout.end`). An end without a start or a second
 * end is a violation at once; a start with no end is one when the run ended on
 * its own (`sim.end` outcome other than `stopped`).
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { num } from './trace-groups.js';

const NAME = 'accounting';

interface Pair {
  what: string;
  idKey: string;
  isStart(e: TraceEvent): boolean;
  isEnd(e: TraceEvent): boolean;
}

interface Entry {
  readonly pair: Pair;
  readonly e: TraceEvent;
  count: number;
}

const PAIRS: readonly Pair[] = [
  {
    what: 'request',
    idKey: 'i',
    isStart: (e) => e.kind === 'request.start',
    isEnd: (e) => e.kind === 'request.end',
  },
  {
    what: 'service call',
    idKey: 'call',
    isStart: (e) => e.kind === 'service.call',
    isEnd: (e) => e.kind === 'service.end',
  },
  {
    what: 'agent run',
    idKey: 'run',
    isStart: (e) => e.kind === 'agent.start',
    isEnd: (e) => e.kind === 'agent.end',
  },
  {
    what: 'task',
    idKey: 'task',
    isStart: (e) => e.kind === 'task.start',
    isEnd: (e) => e.kind === 'task.end',
  },
  {
    what: 'retry execution',
    idKey: 'call',
    isStart: (e) => e.kind === 'retry.attempt' && e.data?.attempt === 1,
    isEnd: (e) => e.kind === 'retry.success' || e.kind === 'retry.gave-up',
  },
  {
    what: 'timeout call',
    idKey: 'call',
    isStart: (e) => e.kind === 'timeout.started',
    isEnd: (e) => e.kind === 'timeout.end',
  },
];

/** Every kind some pair starts or ends with: other events (most breaker and fault events) skip the pairs. */
const PAIRED_KINDS = new Set([
  'request.start',
  'request.end',
  'service.call',
  'service.end',
  'agent.start',
  'agent.end',
  'task.start',
  'task.end',
  'retry.attempt',
  'retry.success',
  'retry.gave-up',
  'timeout.started',
  'timeout.end',
]);

/**
 * Every request, service call, agent run, task, retry execution and timeout call
 * ends exactly once.
 *
 * @example
 * ```ts
 * expect(invariants.accounting().check(result.trace)).toEqual([]);
 * ```
 */
export function accounting(): Invariant {
  return {
    name: NAME,
    check(trace) {
      // Open entries by pair, actor and id (nested maps: no key string per event);
      // `order` keeps them in first-start order, which picks the violation reported.
      const open = PAIRS.map(() => new Map<string, Map<number, Entry>>());
      const order: Entry[] = [];
      let endOutcome: string | undefined;
      for (const e of trace.events) {
        if (e.kind === 'sim.end') endOutcome = String(e.data?.outcome);
        if (!PAIRED_KINDS.has(e.kind)) continue;
        for (let p = 0; p < PAIRS.length; p++) {
          const pair = PAIRS[p]!;
          const start = pair.isStart(e);
          if (!start && !pair.isEnd(e)) continue;
          const id = num(e, pair.idKey);
          if (id === undefined) continue;
          const actor = e.actor ?? '';
          const byActor = open[p]!;
          let ids = byActor.get(actor);
          if (ids === undefined) byActor.set(actor, (ids = new Map()));
          const entry = ids.get(id);
          if (start) {
            if (entry === undefined) {
              const created = { pair, e, count: 1 };
              ids.set(id, created);
              order.push(created);
            } else entry.count++;
            continue;
          }
          if (entry === undefined || entry.count === 0) {
            return [
              violation(
                NAME,
                `${pair.what} ${id} of "${e.actor ?? ''}" ended ${entry ? 'a second time' : 'without having started'}`,
                e,
                'exactly one end',
                entry ? 'two ends' : 'end without start',
              ),
            ];
          }
          entry.count--;
        }
      }
      if (endOutcome === undefined || endOutcome === 'stopped') return [];
      const out: Violation[] = [];
      for (const { pair, e, count } of order) {
        if (count > 0) {
          out.push(
            violation(
              NAME,
              `${pair.what} ${num(e, pair.idKey)} of "${e.actor ?? ''}" started at ${e.t} ms and never ended`,
              e,
              'exactly one end',
              'no end',
            ),
          );
        }
      }
      return out.slice(0, 1);
    },
  };
}

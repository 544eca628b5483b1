/*
 * `invariants.hedge()`: per hedged call (`call` id) of each hedge policy, at
 * most the declared `maxAttempts` attempts start, none after the call was
 * decided, and when an attempt wins every other attempt still running is
 * aborted (`hedge.aborted`) — no loser is left running.
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { byActor, num } from './trace-groups.js';

const NAME = 'hedge';

interface Call {
  started: number;
  settled: Set<number>;
  aborted: Set<number>;
  /** The winning attempt, and the attempts still running when it won. */
  won: { attempt: number; event: TraceEvent; running: number[] } | undefined;
  decided: boolean;
}

/**
 * Hedging rules for every hedge policy in the trace.
 *
 * @example
 * ```ts
 * expect(invariants.hedge().check(result.trace)).toEqual([]);
 * ```
 */
export function hedge(): Invariant {
  return {
    name: NAME,
    check(trace) {
      const out: Violation[] = [];
      for (const events of byActor(trace, 'hedge').values()) {
        const v = checkHedge(events);
        if (v) out.push(v);
      }
      return out;
    },
  };
}

function checkHedge(events: readonly TraceEvent[]): Violation | undefined {
  let maxAttempts: number | undefined;
  const calls = new Map<number, Call>();
  for (const e of events) {
    const name = e.actor ?? 'hedge';
    if (e.kind === 'hedge.declared') {
      maxAttempts = num(e, 'maxAttempts');
      calls.clear();
      continue;
    }
    if (maxAttempts === undefined) continue;
    const id = num(e, 'call');
    const attempt = num(e, 'attempt');
    if (id === undefined) continue;
    let c = calls.get(id);
    if (c === undefined) {
      c = { started: 0, settled: new Set(), aborted: new Set(), won: undefined, decided: false };
      calls.set(id, c);
    }
    switch (e.kind) {
      case 'hedge.attempt':
        if (c.decided)
          return violation(
            NAME,
            `"${name}" started attempt ${attempt} of call ${id} after the call was decided`,
            e,
          );
        c.started++;
        if (c.started > maxAttempts) {
          return violation(
            NAME,
            `"${name}" started ${c.started} attempts for call ${id}; maxAttempts is ${maxAttempts}`,
            e,
            `<= ${maxAttempts}`,
            c.started,
          );
        }
        break;
      case 'hedge.failure':
      case 'hedge.late':
        if (attempt !== undefined) c.settled.add(attempt);
        break;
      case 'hedge.aborted':
        if (attempt !== undefined) c.aborted.add(attempt);
        break;
      case 'hedge.success': {
        if (attempt !== undefined) c.settled.add(attempt);
        const running: number[] = [];
        for (let k = 0; k < c.started; k++) if (!c.settled.has(k)) running.push(k);
        c.won = { attempt: attempt ?? -1, event: e, running };
        c.decided = true;
        break;
      }
      case 'hedge.exhausted':
        c.decided = true;
        break;
    }
  }
  for (const [id, c] of calls) {
    const loser = c.won?.running.find((k) => !c.aborted.has(k));
    if (c.won !== undefined && loser !== undefined) {
      return violation(
        NAME,
        `"${c.won.event.actor ?? 'hedge'}" call ${id}: attempt ${c.won.attempt} won but attempt ${loser}, still running, was not aborted`,
        c.won.event,
      );
    }
  }
  return undefined;
}

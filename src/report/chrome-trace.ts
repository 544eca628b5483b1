import { buildTimeline, type TrackKind } from './spans.js';
import { eventsOf, type TraceSource } from './summarize.js';

/*
 * Chrome trace-event JSON (the format Perfetto and chrome://tracing open): one
 * process per kind of component (workloads, agents, services, breakers, retry
 * policies), one thread per actor and lane, complete events ('X') for agent
 * runs, service calls, requests and breaker states, instant events ('i') for
 * faults, retries and rejections. Timestamps are virtual microseconds.
 */

export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'i' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 't';
  args?: Record<string, unknown>;
}

const PROCESSES: Record<TrackKind, [number, string]> = {
  workload: [1, 'workloads'],
  agent: [2, 'agents'],
  service: [3, 'services'],
  breaker: [4, 'circuit breakers'],
  retry: [5, 'retry policies'],
};

/**
 * Converts a trace to Chrome trace-event JSON; save it as `.json` and open it
 * in https://ui.perfetto.dev.
 *
 * @example
 * ```ts
 * writeFileSync('run.json', JSON.stringify(toChromeTrace(result)));
 * ```
 */
export function toChromeTrace(source: TraceSource): {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
} {
  const timeline = buildTimeline(eventsOf(source));
  const out: ChromeTraceEvent[] = [];
  const tids = new Map<string, number>();
  let nextTid = 1;
  const tidOf = (kind: TrackKind, actor: string, lane: number) => {
    const key = `${kind}\u0000${actor}\u0000${lane}`;
    let tid = tids.get(key);
    if (tid === undefined) {
      tid = nextTid++;
      tids.set(key, tid);
      const name = lane === 0 ? actor : `${actor} #${lane + 1}`;
      out.push({ name: 'thread_name', ph: 'M', pid: PROCESSES[kind][0], tid, args: { name } });
      out.push({
        name: 'thread_sort_index',
        ph: 'M',
        pid: PROCESSES[kind][0],
        tid,
        args: { sort_index: tid },
      });
    }
    return tid;
  };
  for (const [kind, [pid, name]] of Object.entries(PROCESSES) as [TrackKind, [number, string]][]) {
    if (timeline.tracks.some((t) => t.kind === kind)) {
      out.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name } });
      out.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } });
    }
  }
  for (const track of timeline.tracks) tidOf(track.kind, track.actor, 0);
  for (const span of timeline.spans) {
    const args: Record<string, unknown> = { outcome: span.outcome };
    if (span.detail) args.detail = span.detail;
    if (span.req) args.req = span.req;
    out.push({
      name: span.track === 'breaker' ? span.label : `${span.label} ${span.outcome}`,
      cat: span.track,
      ph: 'X',
      pid: PROCESSES[span.track][0],
      tid: tidOf(span.track, span.actor, span.lane),
      ts: span.start * 1000,
      dur: Math.max(0, span.end - span.start) * 1000,
      args,
    });
  }
  for (const m of timeline.markers) {
    out.push({
      name: m.label,
      cat: m.kind,
      ph: 'i',
      s: 't',
      pid: PROCESSES[m.track][0],
      tid: tidOf(m.track, m.actor, 0),
      ts: m.t * 1000,
      args: m.req ? { req: m.req } : {},
    });
  }
  return { traceEvents: out, displayTimeUnit: 'ms' };
}

import type { TraceEvent } from '../trace/event.js';
import { requestOf } from './terminal-timeline.js';

/*
 * A trace as intervals and markers, for the HTML report and the Chrome trace:
 * agent runs, service calls and workload requests become spans (start → end,
 * matched by run / call / request number), breaker states become bands, and
 * faults, retries and rejections become markers. Concurrent spans of one actor
 * go to separate lanes (first free lane), so spans on a lane never overlap.
 */

export type TrackKind = 'agent' | 'service' | 'workload' | 'breaker' | 'retry';

export interface Span {
  readonly track: TrackKind;
  readonly actor: string;
  lane: number;
  readonly start: number;
  end: number;
  /** What the span is: `run 3`, `call 12`, `request 7`, or the breaker state. */
  readonly label: string;
  /** `ok`, `error`, `rejected`, …, or the breaker state; `pending` when the run ended first. */
  outcome: string;
  detail: string;
  req: string | undefined;
}

export interface Marker {
  readonly track: TrackKind;
  readonly actor: string;
  readonly t: number;
  /** `fault`, `retry`, `gave-up`, `rejected`, `fallback`, `timeout`. */
  readonly kind: string;
  readonly label: string;
  readonly req: string | undefined;
}

export interface Track {
  readonly kind: TrackKind;
  readonly actor: string;
  lanes: number;
}

export interface Timeline {
  readonly end: number;
  readonly tracks: readonly Track[];
  readonly spans: readonly Span[];
  readonly markers: readonly Marker[];
}

const START_KINDS: Record<string, [TrackKind, string]> = {
  'agent.start': ['agent', 'run'],
  'service.call': ['service', 'call'],
  'request.start': ['workload', 'i'],
};
const END_KINDS: Record<string, [TrackKind, string]> = {
  'agent.end': ['agent', 'run'],
  'service.end': ['service', 'call'],
  'request.end': ['workload', 'i'],
};
const TRACK_ORDER: TrackKind[] = ['workload', 'agent', 'service', 'breaker', 'retry'];

function outcomeOf(kind: TrackKind, d: Record<string, unknown>): string {
  if (kind === 'agent') return d.ok ? 'ok' : 'error';
  return String(d.outcome ?? 'ok') === 'success' ? 'ok' : String(d.outcome);
}

function detailOf(kind: TrackKind, d: Record<string, unknown>): string {
  if (kind === 'service') return [d.status, d.code, d.fault].filter((x) => x !== undefined).join(' ');
  const error = d.error as { code?: string; name?: string } | string | undefined;
  if (error === undefined) return '';
  return typeof error === 'string' ? error : (error.code ?? error.name ?? 'error');
}

/** Builds spans, breaker bands and markers from a trace's events. */
export function buildTimeline(events: readonly TraceEvent[]): Timeline {
  let end = 0;
  const spans: Span[] = [];
  const markers: Marker[] = [];
  const open = new Map<string, Span>();
  const tracks = new Map<string, Track>();
  const breakerState = new Map<string, Span>();
  const track = (kind: TrackKind, actor: string) => {
    const key = `${kind}\u0000${actor}`;
    if (!tracks.has(key)) tracks.set(key, { kind, actor, lanes: 1 });
  };
  for (const e of events) {
    if (e.t > end) end = e.t;
    const d = (e.data ?? {}) as Record<string, unknown>;
    const actor = e.actor ?? '';
    const start = START_KINDS[e.kind];
    if (start) {
      const [kind, key] = start;
      track(kind, actor);
      const label = `${kind === 'agent' ? 'run' : kind === 'service' ? 'call' : 'request'} ${d[key]}`;
      const span: Span = {
        track: kind,
        actor,
        lane: 0,
        start: e.t,
        end: Number.NaN,
        label,
        outcome: 'pending',
        detail: '',
        req: requestOf(e),
      };
      spans.push(span);
      open.set(`${kind}\u0000${actor}\u0000${d[key]}`, span);
      continue;
    }
    const finish = END_KINDS[e.kind];
    if (finish) {
      const [kind, key] = finish;
      const id = `${kind}\u0000${actor}\u0000${d[key]}`;
      const span = open.get(id);
      if (span) {
        open.delete(id);
        span.end = e.t;
        span.outcome = outcomeOf(kind, d);
        span.detail = detailOf(kind, d);
      }
      continue;
    }
    switch (e.kind) {
      case 'breaker.state': {
        track('breaker', actor);
        let current = breakerState.get(actor);
        if (!current) {
          current = band(actor, 0, 'closed');
          spans.push(current);
        }
        current.end = e.t;
        const next = band(actor, e.t, String(d.to));
        next.detail = String(d.reason ?? '');
        spans.push(next);
        breakerState.set(actor, next);
        break;
      }
      case 'breaker.admitted':
      case 'breaker.failure':
        track('breaker', actor);
        break;
      case 'fault.injected':
        track('service', actor);
        markers.push(marker('service', actor, e, 'fault', String(d.fault)));
        break;
      case 'retry.scheduled':
        track('retry', actor);
        markers.push(marker('retry', actor, e, 'retry', `attempt ${d.attempt} (${d.reason})`));
        break;
      case 'retry.gave-up':
        track('retry', actor);
        markers.push(marker('retry', actor, e, 'gave-up', `gave up: ${d.reason}`));
        break;
      case 'breaker.rejected':
        track('breaker', actor);
        markers.push(marker('breaker', actor, e, 'rejected', `rejected (${d.state})`));
        break;
      case 'agent.fallback':
        markers.push(marker('agent', actor, e, 'fallback', `run ${d.run} fallback`));
        break;
      case 'timeout.timed-out':
        markers.push(marker('retry', actor, e, 'timeout', 'timed out'));
        track('retry', actor);
        break;
    }
  }
  for (const span of spans) if (Number.isNaN(span.end)) span.end = end;
  for (const s of breakerState.values()) s.end = end;
  assignLanes(spans, tracks);
  const ordered = [...tracks.values()].sort(
    (a, b) =>
      TRACK_ORDER.indexOf(a.kind) - TRACK_ORDER.indexOf(b.kind) ||
      (a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0),
  );
  return { end, tracks: ordered, spans, markers };
}

function band(actor: string, start: number, state: string): Span {
  return {
    track: 'breaker',
    actor,
    lane: 0,
    start,
    end: Number.NaN,
    label: state,
    outcome: state,
    detail: '',
    req: undefined,
  };
}

function marker(track: TrackKind, actor: string, e: TraceEvent, kind: string, label: string): Marker {
  return { track, actor, t: e.t, kind, label, req: requestOf(e) };
}

function assignLanes(spans: Span[], tracks: Map<string, Track>): void {
  const laneEnds = new Map<string, number[]>();
  for (const span of spans) {
    if (span.track === 'breaker') continue;
    const key = `${span.track}\u0000${span.actor}`;
    let ends = laneEnds.get(key);
    if (!ends) laneEnds.set(key, (ends = []));
    let lane = ends.findIndex((t) => t <= span.start);
    if (lane === -1) {
      lane = ends.length;
      ends.push(span.end);
    } else ends[lane] = span.end;
    span.lane = lane;
  }
  for (const [key, ends] of laneEnds) {
    const t = tracks.get(key);
    if (t) t.lanes = Math.max(1, ends.length);
  }
}

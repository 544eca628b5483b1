import { formatDuration } from '../time/duration.js';
import { canonicalValue } from '../trace/canonical.js';
import type { TraceEvent } from '../trace/event.js';

/*
 * The terminal timeline: one event per line, fitted to a width (80 columns by
 * default) — virtual time, kind, actor, then a short human description. By
 * default only the events a reader looks for after a run (breaker transitions,
 * injected faults, retries, failures, fallbacks) are shown.
 */

export interface TerminalTimelineOptions {
  /** Line width in columns. Default 80. */
  width?: number;
  /** Show every event, not only the notable ones. Default false. */
  all?: boolean;
  /** Only events of this correlation id (request id). */
  request?: string;
  /** At most this many lines of events. Default 60. */
  limit?: number;
}

const NOTABLE = new Set([
  'sim.start',
  'sim.end',
  'breaker.state',
  'fault.injected',
  'retry.scheduled',
  'agent.fallback',
  'timeout.timed-out',
  'http.unmatched',
  'http.error',
]);

/** True for the events the default timeline shows. */
export function isNotable(e: TraceEvent): boolean {
  if (NOTABLE.has(e.kind)) return true;
  const d = e.data as Record<string, unknown> | undefined;
  if (e.kind === 'agent.end' || e.kind === 'task.end') return d?.ok === false;
  if (e.kind === 'request.end') return d?.outcome !== 'success';
  return e.kind.endsWith('.violation');
}

/** The correlation id an event carries (`req`), if any. */
export function requestOf(e: TraceEvent): string | undefined {
  const req = (e as { req?: unknown }).req ?? e.data?.req;
  return typeof req === 'string' ? req : undefined;
}

/** `mm:ss.mmm` (with hours when needed): fixed width, so columns line up. */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const milli = total % 1000;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(milli).padStart(3, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

function pad(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  const e = canonicalValue(error) as { name?: string; code?: string; message?: string } | undefined;
  if (!e || typeof e !== 'object') return String(error);
  return e.code ?? e.name ?? e.message ?? 'error';
}

/** A short description of an event's data, per kind. */
export function describeEvent(e: TraceEvent): string {
  const d = (e.data ?? {}) as Record<string, any>;
  switch (e.kind) {
    case 'breaker.state':
      return `${d.from} → ${d.to} (${d.reason})`;
    case 'fault.injected': {
      const what = [d.status, d.code, d.delayMs !== undefined ? `+${short(d.delayMs)}` : undefined]
        .filter((x) => x !== undefined)
        .join(' ');
      return `call ${d.call}: ${d.fault} → ${d.effect}${what ? ` ${what}` : ''}`;
    }
    case 'retry.scheduled':
      return `attempt ${d.attempt} in ${short(d.delay)} (${d.reason}${d.status ? ` ${d.status}` : ''})`;
    case 'retry.gave-up':
      return `gave up after ${d.attempts} attempt(s): ${d.reason}`;
    case 'agent.end':
      return d.ok
        ? `run ${d.run} ok in ${short(d.durationMs)}`
        : `run ${d.run} failed in ${short(d.durationMs)}: ${errorText(d.error)}`;
    case 'agent.fallback':
      return `run ${d.run} answered by fallback (${errorText(d.error)})`;
    case 'request.end':
      return `#${d.i} ${d.outcome}${d.error ? `: ${d.error}` : ''}`;
    case 'service.end':
      return `call ${d.call} ${d.outcome}${d.status ? ` ${d.status}` : ''}${d.code ? ` ${d.code}` : ''} in ${short(d.latency)}`;
    case 'sim.end':
      return `${d.outcome} after ${d.steps} steps${d.error ? `: ${errorText(d.error)}` : ''}`;
    default:
      return pairs(d);
  }
}

/** A duration rounded to what a reader needs: whole ms below 10 s, else 0.1 s. */
function short(ms: unknown): string {
  if (typeof ms !== 'number') return String(ms);
  return formatDuration(ms < 10_000 ? Math.round(ms) : Math.round(ms / 100) * 100);
}

function pairs(data: Record<string, unknown>): string {
  const canonical = canonicalValue(data) as Record<string, unknown>;
  return Object.entries(canonical)
    .filter(([k]) => k !== 'req')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/**
 * Renders events as fixed-width lines:
 * `01:30.112  breaker.state    llm           closed → open (failure-threshold)`.
 */
export function formatTerminalTimeline(
  events: readonly TraceEvent[],
  options: TerminalTimelineOptions = {},
): string {
  const width = Math.max(40, options.width ?? 80);
  const limit = options.limit ?? 60;
  const selected = events.filter(
    (e) =>
      (options.request === undefined ? true : requestOf(e) === options.request) &&
      (options.all || options.request !== undefined || isNotable(e)),
  );
  const lines: string[] = [];
  const kindWidth = 16;
  const actorWidth = 16;
  for (const e of selected.slice(0, limit)) {
    const head = `${clockTime(e.t).padStart(9)}  ${pad(e.kind, kindWidth)} ${pad(e.actor ?? '', actorWidth)} `;
    // In the default view each line names its request, so one can be followed with --request.
    // (Not for breaker transitions: a component's event that a request merely happened to trigger.)
    const req = options.request === undefined && e.kind !== 'breaker.state' ? requestOf(e) : undefined;
    const text = req === undefined ? describeEvent(e) : `${req} ${describeEvent(e)}`;
    lines.push(`${head}${pad(text, width - head.length)}`.trimEnd());
  }
  if (selected.length > limit) lines.push(`  … ${selected.length - limit} more (raise --limit, or --all)`);
  if (selected.length === 0) lines.push('  (no matching events)');
  return lines.join('\n');
}

import { canonicalValue } from './canonical.js';
import type { TraceEvent } from './event.js';

export interface TimelineOptions {
  /** Show at most this many events (the rest are summarized in one line). Default: all. */
  limit?: number;
  /** Only events whose kind starts with one of these prefixes. */
  kinds?: readonly string[];
}

/**
 * Renders events as aligned lines: virtual time since the start (to the ms, so the
 * column lines up), the event's sequence number in the trace, kind, actor, data:
 * `   +1.250s  #12    breaker.state        llm            from=closed reason=failure-threshold to=open`
 */
export function formatTimeline(events: readonly TraceEvent[], options: TimelineOptions = {}): string {
  const selected = options.kinds
    ? events.filter((e) => options.kinds!.some((k) => e.kind === k || e.kind.startsWith(`${k}.`)))
    : events;
  const limit = options.limit ?? selected.length;
  const shown = selected.slice(0, limit);
  const lines = shown.map((e) => {
    const time = `+${formatOffset(e.t)}`.padStart(12);
    const seq = `#${e.seq}`.padEnd(6);
    const kind = e.kind.padEnd(20);
    const actor = (e.actor ?? '').padEnd(14);
    return `${time}  ${seq} ${kind} ${actor} ${formatData(e.data)}`.trimEnd();
  });
  if (selected.length > shown.length) lines.push(`  … ${selected.length - shown.length} more events`);
  return lines.join('\n');
}

function formatData(data: TraceEvent['data']): string {
  if (!data) return '';
  const canonical = canonicalValue(data) as Record<string, unknown>;
  return Object.entries(canonical)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** `+2m05.300s`: whole milliseconds, always three decimals, so times align in a column. */
export function formatOffset(ms: number): string {
  const total = Math.round(ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = ((total % 60_000) / 1000).toFixed(3);
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${s.padStart(6, '0')}s`;
  if (m > 0) return `${m}m${s.padStart(6, '0')}s`;
  return `${s}s`;
}

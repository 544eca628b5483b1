import { formatDuration } from '../time/duration.js';
import { canonicalValue } from './canonical.js';
import type { TraceEvent } from './event.js';

export interface TimelineOptions {
  /** Show at most this many events (the rest are summarized in one line). Default: all. */
  limit?: number;
  /** Only events whose kind starts with one of these prefixes. */
  kinds?: readonly string[];
}

/**
 * Renders events as aligned lines:
 * `   +1.25s  #12  breaker.state      llm       from=closed to=open reason=failures`
 */
export function formatTimeline(events: readonly TraceEvent[], options: TimelineOptions = {}): string {
  const selected = options.kinds
    ? events.filter((e) => options.kinds!.some((k) => e.kind === k || e.kind.startsWith(`${k}.`)))
    : events;
  const limit = options.limit ?? selected.length;
  const shown = selected.slice(0, limit);
  const lines = shown.map((e) => {
    const time = `+${formatDuration(e.t)}`.padStart(12);
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

/*
 * Failure messages of every matcher, in one shape:
 *
 *   expected breaker 'llm' to trip (open) at least once
 *   breaker 'llm' never opened: 5 calls admitted, 2 failures, 0 rejected
 *   trace excerpt:
 *          +2.3s  #19    breaker.failure      llm            consecutiveFailures=1 …
 *   seed 42 — rerun: FAULTLINE_SEED=42 npx vitest run test/llm.test.ts -t 'trips'
 *
 * The expectation in one line (with "not" under `.not`), what happened, a short
 * trace excerpt around the decisive events, and last the seed and the command
 * that replays the run.
 */
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import type { TraceEvent } from '../trace/event.js';
import { formatTimeline as formatEvents } from '../trace/timeline.js';
import type { MatcherContext, MatcherOutcome } from './context.js';

export interface Finding {
  /** Who the expectation is about: `breaker 'llm'`, `the run`. */
  subject: string;
  /** The expectation after "to", positive: `trip (open) at least once`. */
  predicate: string;
  /** What happened, one line each. */
  happened: readonly string[];
  /** The events the excerpt is taken from (those of the breaker, the retry, …). */
  relevant?: readonly TraceEvent[];
  /** The events that decided the outcome; the excerpt shows them with a little context. */
  decisive?: readonly TraceEvent[];
  actual?: unknown;
  expected?: unknown;
}

const EXCERPT_LINES = 10;
const LINE_WIDTH = 160;
const CONTEXT_BEFORE = 2;

/** Builds the matcher's return value. `pass` is never flipped here: vitest applies `.not`. */
export function verdict(
  ctx: MatcherContext,
  result: SimulationResult,
  pass: boolean,
  finding: Finding,
): MatcherOutcome {
  const out: MatcherOutcome = { pass, message: () => message(ctx.isNot, result, finding) };
  if ('actual' in finding) out.actual = finding.actual;
  if ('expected' in finding) out.expected = finding.expected;
  return out;
}

/** The message text (exported for matchers that build their own outcome). */
export function message(isNot: boolean, result: SimulationResult, finding: Finding): string {
  const lines = [`expected ${finding.subject} ${isNot ? 'not ' : ''}to ${finding.predicate}`];
  lines.push(...finding.happened);
  const shown = excerpt(finding.relevant ?? [], finding.decisive ?? []);
  if (shown) lines.push('trace excerpt:', shown);
  lines.push(seedLine(result));
  return lines.join('\n');
}

/** The last line of every message: `seed <n> — rerun: <command>`. */
export function seedLine(result: Pick<SimulationResult, 'seed' | 'rerun'>): string {
  return `seed ${result.seed} — rerun: ${result.rerun}`;
}

/**
 * Up to 10 lines of timeline: each decisive event with the two relevant events
 * before it (what led to it); without decisive events, the last relevant ones.
 */
export function excerpt(relevant: readonly TraceEvent[], decisive: readonly TraceEvent[]): string {
  const pool = merge(relevant, decisive);
  if (pool.length === 0) return '';
  if (decisive.length === 0) {
    const tail = pool.slice(-6);
    const skipped = pool.length - tail.length;
    return (skipped > 0 ? `  … ${count(skipped, 'earlier event')}\n` : '') + formatTimeline(tail);
  }
  const position = new Map(pool.map((e, i) => [e.seq, i]));
  const picked = new Set<number>();
  let shownDecisive = 0;
  for (const d of decisive) {
    const i = position.get(d.seq)!;
    const from = Math.max(0, i - CONTEXT_BEFORE);
    if (picked.size + (i - from + 1) > EXCERPT_LINES && shownDecisive > 0) break;
    for (let k = from; k <= i; k++) picked.add(k);
    shownDecisive++;
  }
  const indices = [...picked].sort((a, b) => a - b);
  const parts: string[] = [];
  let group: TraceEvent[] = [];
  let last = -2;
  for (const i of indices) {
    if (i !== last + 1 && group.length > 0) {
      parts.push(formatTimeline(group), '  …');
      group = [];
    }
    group.push(pool[i]!);
    last = i;
  }
  parts.push(formatTimeline(group));
  if (shownDecisive < decisive.length) parts.push(`  … ${decisive.length - shownDecisive} more`);
  return parts.join('\n');
}

/** Timeline lines with errors shown as `Name: message`, fractions rounded to 3 places, each line cut at 160 characters. */
function formatTimeline(events: readonly TraceEvent[]): string {
  return formatEvents(events.map(readable))
    .split('\n')
    .map((line) => (line.length > LINE_WIDTH ? `${line.slice(0, LINE_WIDTH - 1)}…` : line))
    .join('\n');
}

function readable(e: TraceEvent): TraceEvent {
  const data = e.data;
  if (!data) return e;
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) {
      out ??= { ...data };
      out[key] = Math.round(value * 1000) / 1000;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const { name, message } = value as { name?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    out ??= { ...data };
    out[key] = typeof name === 'string' ? `${name}: ${message}` : message;
  }
  return out ? { ...e, data: out } : e;
}

function merge(a: readonly TraceEvent[], b: readonly TraceEvent[]): TraceEvent[] {
  const bySeq = new Map<number, TraceEvent>();
  for (const e of a) bySeq.set(e.seq, e);
  for (const e of b) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

/** `n thing(s)` with the right plural. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A list capped at `max` items: `a, b, c … and 4 more`. */
export function capped(items: readonly string[], max = 6, separator = ', '): string {
  if (items.length <= max) return items.join(separator);
  return `${items.slice(0, max).join(separator)}${separator}… and ${items.length - max} more`;
}

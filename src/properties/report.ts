/*
 * The failure report of `checkResilience`: the violated invariant and why
 * (expected vs actual, the event's seq and virtual time), the shrunk inputs as
 * a literal to paste into a test, the seeds, the rerun command and a short
 * trace excerpt around the violation.
 */
import fc from 'fast-check';
import { canonicalLine } from '../trace/canonical.js';
import type { Trace } from '../trace/trace.js';
import type { Violation } from './invariant.js';

/** What one failing run produced. */
export interface RunFailure {
  readonly violations: readonly Violation[];
  readonly trace: Trace | undefined;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : fc.stringify(value);
}

/** One violation in words: rule, why, expected vs actual, where. */
export function describeViolation(v: Violation): string {
  const lines = [`invariant "${v.invariant}" violated: ${v.message}`];
  if (v.expected !== undefined || v.actual !== undefined)
    lines.push(`  expected: ${show(v.expected)}   actual: ${show(v.actual)}`);
  if (v.event) {
    const who = v.event.actor === undefined ? '' : ` by "${v.event.actor}"`;
    lines.push(`  at event #${v.event.seq} (${v.event.kind}${who}), virtual time ${v.event.t} ms`);
  }
  return lines.join('\n');
}

/** Up to `before` events before and `after` after event `seq`, the event marked `>`. */
export function traceExcerpt(trace: Trace, seq: number | undefined, before = 8, after = 3): string {
  const events = trace.events;
  if (events.length === 0) return '  (empty trace)';
  const at = seq === undefined ? events.length - 1 : Math.min(seq, events.length - 1);
  const from = Math.max(0, at - before);
  const to = Math.min(events.length, at + after + 1);
  const lines: string[] = [];
  if (from > 0) lines.push(`    … ${from} earlier event(s)`);
  for (let i = from; i < to; i++) lines.push(`  ${i === at ? '>' : ' '} ${canonicalLine(events[i]!)}`);
  if (to < events.length) lines.push(`    … ${events.length - to} later event(s)`);
  return lines.join('\n');
}

/** The shrunk inputs as a literal that can be pasted into a test. */
export function inputsLiteral(values: unknown): string {
  return fc.stringify(values);
}

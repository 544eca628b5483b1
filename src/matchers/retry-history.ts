/*
 * What retry policies did, as the trace tells it: `retry.attempt` (attempt n,
 * from 1), `retry.scheduled` (the delay before attempt n, its reason, status
 * and Retry-After), `retry.gave-up`, `retry.success`; actor = the policy's name.
 */
import { formatDuration } from '../time/duration.js';
import type { TraceEvent } from '../trace/event.js';
import type { Trace } from '../trace/trace.js';
import type { Expected } from './args.js';
import { type MatcherContext, matches } from './context.js';
import { capped } from './report.js';
import { quoted, type Roster } from './unknown-name.js';

export interface RetryHistory {
  /** Every `retry.*` event of the selected policies. */
  readonly events: readonly TraceEvent[];
  /** Attempts after the first (`retry.attempt` with attempt > 1). */
  readonly retries: readonly TraceEvent[];
  readonly scheduled: readonly TraceEvent[];
  readonly gaveUp: readonly TraceEvent[];
  /** Names of every retry policy in the trace. */
  readonly policies: readonly string[];
}

export function retryHistory(
  ctx: MatcherContext,
  trace: Trace,
  name: Expected<string> | undefined,
): RetryHistory {
  const all = trace.ofKind('retry');
  const policies = [...new Set(all.map((e) => e.actor).filter((a): a is string => a !== undefined))];
  const events =
    name === undefined
      ? all
      : all.filter((e) => e.actor !== undefined && (e.actor === name || matches(ctx, e.actor, name)));
  return {
    events,
    retries: events.filter((e) => e.kind === 'retry.attempt' && Number(e.data?.attempt) > 1),
    scheduled: events.filter((e) => e.kind === 'retry.scheduled'),
    gaveUp: events.filter((e) => e.kind === 'retry.gave-up'),
    policies,
  };
}

/** `+2.3s attempt 2 after 409ms (server-error 503, Retry-After 1s)`. */
export function describeScheduled(e: TraceEvent): string {
  const d = e.data ?? {};
  const why = [String(d.reason ?? '?')];
  if (d.status !== undefined) why.push(String(d.status));
  if (typeof d.retryAfter === 'number') why.push(`Retry-After ${formatDuration(d.retryAfter)}`);
  const who = e.actor === undefined ? '' : `'${e.actor}' `;
  return `+${formatDuration(e.t)} ${who}attempt ${String(d.attempt)} after ${formatDuration(Number(d.delay))} (${why.join(' ')})`;
}

/** One line per give-up reason: `gave up 2 times: max-retries ×1, permanent ×1`. */
export function describeGaveUp(gaveUp: readonly TraceEvent[]): string | undefined {
  if (gaveUp.length === 0) return undefined;
  const reasons = new Map<string, number>();
  for (const e of gaveUp) reasons.set(String(e.data?.reason), (reasons.get(String(e.data?.reason)) ?? 0) + 1);
  return `gave up ${gaveUp.length === 1 ? 'once' : `${gaveUp.length} times`}: ${capped([...reasons].map(([r, n]) => `${r} ×${n}`))}`;
}

/** The retry policies the run has (a policy traces `retry.declared` when it is made). */
export function policyRoster(h: RetryHistory): Roster {
  return { what: 'retry policy', names: h.policies, listing: `retry policies: ${quoted(h.policies)}` };
}

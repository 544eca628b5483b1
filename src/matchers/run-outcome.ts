/*
 * How a run ended, in words, for the run-level matchers (`toHaveSucceeded`,
 * `toHaveFailedWith`, `toHaveCompletedWithin`).
 */
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import { formatDuration } from '../time/duration.js';
import type { TraceEvent } from '../trace/event.js';
import { count } from './report.js';

/** `the body threw Error: boom at +12s`, `the body returned at +1m30s`, … */
export function describeOutcome(result: SimulationResult): string[] {
  const at = `+${formatDuration(result.stats.virtualTimeMs)}`;
  const lines: string[] = [];
  if (result.outcome === 'failed')
    lines.push(`the body threw ${describeError(result.error)} (run ended at ${at})`);
  else if (result.outcome === 'stopped')
    lines.push(`the run was stopped by \`until\` at ${at} before the body settled`);
  else lines.push(`the body returned; the run ended at ${at}`);
  if (result.taskErrors.length > 0) {
    const first = result.taskErrors[0]!;
    lines.push(
      `${count(result.taskErrors.length, 'spawned task')} failed, first '${first.task}': ${describeError(first.error)}`,
    );
  }
  return lines;
}

/** `TimeoutError: agent "x" timed out after 2s`, or the value for a non-error throw. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string')
    return `${(error as Error).name ?? 'Error'}: ${(error as Error).message}`;
  try {
    return `the non-error value ${JSON.stringify(error) ?? String(error)}`;
  } catch {
    return `the non-error value ${String(error)}`;
  }
}

/** The run's last events up to and including `sim.end` (what led to the end). */
export function endEvents(result: SimulationResult): { relevant: TraceEvent[]; decisive: TraceEvent[] } {
  const events = result.trace.events;
  const end = events.findLast((e) => e.kind === 'sim.end');
  return { relevant: events.slice(-8), decisive: end ? [end] : [] };
}

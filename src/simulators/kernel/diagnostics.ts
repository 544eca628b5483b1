import { NonDeterminismError } from '../../errors/non-determinism-error.js';
import { type PendingTask, SimulationDeadlockError } from '../../errors/simulation-deadlock-error.js';
import { SimulationError, SimulationLimitError } from '../../errors/simulation-error.js';
import { formatDuration } from '../../time/duration.js';
import { canonicalLine, canonicalValue } from '../../trace/canonical.js';
import type { TraceEvent } from '../../trace/event.js';
import type { Trace } from '../../trace/trace.js';
import type { Sim } from '../sim.js';
import { userFrame } from './call-site.js';
import { type KernelOutcome, OPEN_HANDLES_GRACE_MS } from './kernel.js';
import type { ResolvedOptions } from './simulate-options.js';
import type { VirtualClock } from './virtual-clock.js';

/*
 * The kernel's failure reports: what each says (deadlock, limit, cancellation,
 * open real work, divergence), always with the virtual time, the seed and the
 * rerun command.
 */

export function abortedError(
  options: ResolvedOptions,
  clock: VirtualClock,
  reason: string,
  rerun: string,
): SimulationError {
  return new SimulationError(
    'ABORTED',
    `simulation cancelled at virtual ${formatDuration(clock.time)}: ${reason}. Every patched global was restored. Seed ${options.seed}; rerun: ${rerun}`,
    options.seed,
  );
}

export function openHandlesError(
  options: ResolvedOptions,
  sim: Sim,
  clock: VirtualClock,
  handles: string[],
  rerun: string,
): SimulationError {
  return new SimulationError(
    'OPEN_HANDLES',
    `the body${sim.tasks.length ? ' and its tasks' : ''} finished at virtual ${formatDuration(clock.time)}, but real work started during the run ` +
      `was still open ${OPEN_HANDLES_GRACE_MS} ms of real time later, and virtual time cannot move while it is: ` +
      `${handles.join('; ') || '(not identifiable)'}. Close it before the body returns (e.g. server.close()), ` +
      `or unref() it. Seed ${options.seed}; rerun: ${rerun}`,
    options.seed,
  );
}

export function limitError(
  options: ResolvedOptions,
  clock: VirtualClock,
  outcome: Extract<KernelOutcome, { kind: 'limit' }>,
  rerun: string,
  unmatchedLine: string | undefined,
): SimulationLimitError {
  const onlyIntervals =
    outcome.limit === 'maxTime' && clock.intervals > 0 && clock.intervals === clock.heap.size
      ? `; only intervals were left to keep the run going: ${describeIntervals(clock).join('; ')}`
      : '';
  return new SimulationLimitError(
    outcome.limit,
    `${unmatchedLine ? `${unmatchedLine}\n` : ''}simulation stopped at virtual ${formatDuration(clock.time)}: ${outcome.detail}${onlyIntervals}. Seed ${options.seed}; rerun: ${rerun}`,
    options.seed,
  );
}

export function deadlockError(
  options: ResolvedOptions,
  sim: Sim,
  bodySettled: boolean,
  clock: VirtualClock,
  inFlight: string[],
  rerun: string,
  unmatchedLine?: string,
): SimulationDeadlockError {
  const pending = pendingTasks(sim, bodySettled);
  const lines = pendingLines(pending);
  const unref =
    clock.heap.size > 0
      ? ` (${clock.heap.size} unref'd timer(s) pending, which do not keep a run alive)`
      : '';
  const real = inFlight.length ? ` Still in flight: ${inFlight.join('; ')}.` : '';
  const message =
    (unmatchedLine ? `${unmatchedLine}\n` : '') +
    `simulation deadlocked at virtual ${formatDuration(clock.time)}: ${pending.length} task(s) still waiting, ` +
    `no timer scheduled${unref} and no real I/O pending, so nothing can wake them.${real}\n${lines.join('\n')}\n` +
    `Likely a promise that never resolves, or real I/O that escaped the simulation. Seed ${options.seed}; rerun: ${rerun}`;
  return new SimulationDeadlockError(message, options.seed, pending, clock.time);
}

function pendingTasks(sim: Sim, bodySettled: boolean): PendingTask[] {
  const pending: PendingTask[] = [];
  if (!bodySettled) pending.push({ name: '<body>', lastEvents: lastEvents(sim.trace, undefined) });
  for (const task of sim.tasks) {
    if (!task.settled) pending.push({ name: task.name, lastEvents: lastEvents(sim.trace, task.name) });
  }
  return pending;
}

function pendingLines(pending: PendingTask[]): string[] {
  return pending.map((p) => {
    const last = p.lastEvents.length
      ? p.lastEvents.map((e) => `      ${canonicalLine(e)}`).join('\n')
      : '      (no events)';
    return `  - ${p.name}, last events:\n${last}`;
  });
}

/** The queued intervals, each with its period and where it was created. */
export function describeIntervals(clock: VirtualClock): string[] {
  return clock.heap
    .values()
    .filter((t) => t.kind === 'interval')
    .sort((a, b) => a.seq - b.seq)
    .map((t) => {
      const site = userFrame(t.site);
      return `setInterval every ${formatDuration(t.delay)}${site ? ` created at ${site}` : ''}`;
    });
}

/** The body waits, only intervals tick, and they change nothing observable. */
export function idleIntervalsError(
  options: ResolvedOptions,
  sim: Sim,
  bodySettled: boolean,
  clock: VirtualClock,
  firings: number,
  rerun: string,
): SimulationDeadlockError {
  const pending = pendingTasks(sim, bodySettled);
  const message =
    `simulation stuck at virtual ${formatDuration(clock.time)}: ${pending.length} task(s) still waiting while only intervals are queued, ` +
    `and ${firings} interval firings in a row changed nothing observable (no timer created or cleared, no trace event, no task settled), ` +
    `so nothing will wake them. The intervals: ${describeIntervals(clock).join('; ')}.\n${pendingLines(pending).join('\n')}\n` +
    `Clear the intervals when the work they serve ends; if they do make progress that leaves no trace, raise maxIdleIntervals (${options.maxIdleIntervals}). ` +
    `Seed ${options.seed}; rerun: ${rerun}`;
  return new SimulationDeadlockError(message, options.seed, pending, clock.time);
}

function lastEvents(trace: Trace, actor: string | undefined, n = 3): TraceEvent[] {
  const events = trace.events;
  const out: TraceEvent[] = [];
  for (let i = events.length - 1; i >= 0 && out.length < n; i--) {
    const e = events[i]!;
    if (actor === undefined ? e.kind !== 'sim.end' : e.actor === actor) out.unshift(e);
  }
  return out;
}

export function divergence(options: ResolvedOptions, a: Trace, b: Trace, rerun: string): NonDeterminismError {
  const n = Math.max(a.length, b.length);
  let i = 0;
  for (; i < n; i++) {
    const x = a.events[i];
    const y = b.events[i];
    if (!x || !y || canonicalLine(x) !== canonicalLine(y)) break;
  }
  const x = a.events[i];
  const y = b.events[i];
  const show = (e: TraceEvent | undefined) => (e ? canonicalLine(e) : '(run ended)');
  const hint = options.traceTimers ? '' : ' Rerun with traceTimers: true to see timer firings in the trace.';
  return new NonDeterminismError(
    `two runs with seed ${options.seed} diverged at event #${i}:\n  run 1: ${show(x)}\n  run 2: ${show(y)}\n` +
      `Something in the scenario reads real time, unseeded randomness or real I/O, or depends on state left by the previous run.${hint} Rerun: ${rerun}`,
    options.seed,
    i,
    x,
    y,
  );
}

/** What the body ended with (outcome, value, error), canonical: equal for equal results in any process. */
export function outcomeFingerprint(result: { outcome: string; value: unknown; error: unknown }): string {
  return (
    JSON.stringify(canonicalValue({ outcome: result.outcome, value: result.value, error: result.error })) ??
    ''
  );
}

/** Two runs with the same trace ended with different values. */
export function valueDivergence(
  options: ResolvedOptions,
  a: string,
  b: string,
  events: number,
  rerun: string,
): NonDeterminismError {
  return new NonDeterminismError(
    `two runs with seed ${options.seed} recorded the same ${events} trace events but ended differently:\n  run 1: ${a}\n  run 2: ${b}\n` +
      `The body's result depends on something outside the simulation (real time, unseeded randomness, state left by the previous run). Rerun: ${rerun}`,
    options.seed,
    events,
  );
}

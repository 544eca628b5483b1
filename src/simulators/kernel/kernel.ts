import type { GlobalPatch } from './global-patch.js';
import type { Quiescence } from './quiescence.js';
import { realPerformanceNow, realSetImmediate } from './real-globals.js';
import { VirtualClock } from './virtual-clock.js';

/*
 * The stepping loop. Each step runs as its own *real* immediate, so Node drains
 * every microtask and nextTick before the next one. A step first checks that
 * the system is quiet (no real work the run started still in flight); only then
 * does it take the next timer in (time, seq) order, move virtual time to it and
 * run it. Steps are queued in batches of real immediates, so timers fire many
 * to one event-loop turn while each still sees a fully drained world. Only the
 * last immediate of a batch is ref'd (it keeps the process alive while the batch
 * runs); the others are unref'd.
 */

export type KernelOutcome =
  | { kind: 'settled' }
  | { kind: 'until' }
  | { kind: 'deadlock'; inFlight: string[] }
  | { kind: 'limit'; limit: 'maxSteps' | 'maxTime' | 'wallTimeout'; detail: string }
  | { kind: 'uncaught'; error: unknown }
  | { kind: 'open-handles'; handles: string[] }
  | { kind: 'idle-intervals'; firings: number }
  | { kind: 'aborted'; reason: string };

export interface KernelLimits {
  until: number | undefined;
  maxSteps: number;
  maxTime: number;
  wallTimeoutMs: number;
  /** Interval firings in a row, with only intervals queued and nothing observable happening, that end a stuck run. */
  maxIdleIntervals: number;
  /** Called about once per second of wall time while the run goes on. */
  progress?: ((info: { steps: number; wallMs: number }) => void) | undefined;
}

const PROGRESS_EVERY_MS = 1000;

const BATCH = 64;
/**
 * A suspected deadlock (body waiting, no timer, nothing real in flight) is
 * declared only once it has persisted, with no activity at all, for
 * DEADLOCK_GRACE_MS of real time AND across DEADLOCK_TURNS event-loop turns:
 * real time alone could elapse between two checks of one turn (the process
 * descheduled on a loaded machine) before Node's poll phase ever delivered the
 * completion the run waits for. The grace is a safety margin for real work the
 * quiescence check might not see; it costs time only on a real deadlock.
 */
const DEADLOCK_GRACE_MS = 50;
const DEADLOCK_TURNS = 3;
/**
 * Real milliseconds real work may stay open once the body and its tasks have
 * settled: then nothing in the run is waiting for it, so the run ends with
 * the open resources named instead of waiting for `wallTimeout`.
 */
export const OPEN_HANDLES_GRACE_MS = 1000;

export class Kernel {
  steps = 0;
  private ticks = 0;
  private own = 0;
  private done = false;
  private resolve!: (outcome: KernelOutcome) => void;
  private readonly outcome = new Promise<KernelOutcome>((resolve) => {
    this.resolve = resolve;
  });
  private startedAt = 0;
  private lastProgress = 0;
  private suspectSince = -1;
  private suspectActivity = -1;
  /** Event-loop turns so far (one batch of steps per turn), and the turn a deadlock was first suspected. */
  private turns = 0;
  private suspectTurn = 0;
  /** The turn in which a step last found real work in flight. */
  private busyTurn = -1;
  /** Steps in a row that fired a timer. */
  private firedInRow = 0;
  private stallSince = -1;
  private idleIntervals = 0;
  private idleMark = -1;
  private readonly tick = () => this.onTick();

  constructor(
    private readonly clock: VirtualClock,
    private readonly patch: GlobalPatch,
    private readonly limits: KernelLimits,
    private readonly isSettled: () => boolean,
    /** A number that changes whenever anything observable happens (timers, trace events, settlements). */
    private readonly activity: () => number,
    private readonly quiescence: Quiescence,
  ) {
    quiescence.ignore(this.tick);
  }

  /** Ends the run from outside a step (a stray error, the test ending, an abort signal). */
  stop(outcome: KernelOutcome): void {
    if (!this.done) this.finish(outcome);
  }

  /** Steps until the run ends; resolves at once if `stop` came first. */
  run(): Promise<KernelOutcome> {
    this.startedAt = realPerformanceNow();
    if (!this.done) this.schedule(1);
    return this.outcome;
  }

  /** Queues `n` steps; only called when none is pending (`own === 0`). */
  private schedule(n: number): void {
    this.turns++;
    this.own = n;
    for (let i = 1; i < n; i++) realSetImmediate(this.tick).unref();
    realSetImmediate(this.tick);
  }

  private finish(outcome: KernelOutcome): void {
    this.done = true;
    this.resolve(outcome);
  }

  private onTick(): void {
    this.own--;
    if (this.done) return;
    // Real work found in flight this turn completes in a later poll phase: the
    // rest of this turn's batch skips the check; its last step checks again.
    if (this.busyTurn === this.turns && this.own > 0) return;
    let fired = false;
    try {
      fired = this.step();
    } catch (error) {
      this.finish({ kind: 'uncaught', error });
      return;
    }
    if (fired) this.firedInRow++;
    else this.firedInRow = 0;
    if (!this.done && this.own === 0) {
      // A chain of steps that all fire (a sequential agent has one timer queued at a
      // time) grows the batch to BATCH; a step that found real work resets it.
      this.schedule(fired ? Math.min(BATCH, Math.max(this.clock.heap.size + 1, 2 * this.firedInRow)) : 1);
    }
  }

  /** One step; returns true when a timer fired. */
  private step(): boolean {
    if ((++this.ticks & 1023) === 0 && this.checkWall()) return false;
    if (!this.quiescence.isQuiet()) {
      this.busyTurn = this.turns;
      if (this.stallSince >= 0 || this.isSettled()) this.stalled();
      return false;
    }
    this.stallSince = -1;
    const clock = this.clock;
    const { until } = this.limits;
    const settled = this.isSettled();
    if (settled && until === undefined) {
      this.finish({ kind: 'settled' });
      return false;
    }
    const next = clock.heap.peek();
    if (until !== undefined) {
      if (next === undefined || next.at > until) {
        if (next === undefined && !settled) return this.deadlock();
        clock.time = Math.max(clock.time, until);
        this.patch.setTime(clock.time);
        this.finish({ kind: 'until' });
        return false;
      }
    } else if (next === undefined || clock.refCount === 0) {
      return this.deadlock();
    }
    if (next!.at > this.limits.maxTime) {
      this.finish({
        kind: 'limit',
        limit: 'maxTime',
        detail: `the next timer is due at ${next!.at} ms, past maxTime ${this.limits.maxTime} ms`,
      });
      return false;
    }
    if (++this.steps > this.limits.maxSteps) {
      this.finish({
        kind: 'limit',
        limit: 'maxSteps',
        detail: `more than ${this.limits.maxSteps} timer steps`,
      });
      return false;
    }
    this.suspectSince = -1;
    const timer = clock.takeNext()!;
    if (timer.kind === 'interval' && !settled && until === undefined && clock.intervals === clock.heap.size) {
      if (this.idleInterval()) return false;
    } else this.idleIntervals = 0;
    this.patch.setTime(clock.time);
    VirtualClock.run(timer);
    return true;
  }

  private deadlock(): false {
    const activity = this.activity();
    const now = realPerformanceNow();
    if (this.suspectSince < 0 || activity !== this.suspectActivity) {
      this.suspectSince = now;
      this.suspectActivity = activity;
      this.suspectTurn = this.turns;
      return false;
    }
    if (now - this.suspectSince >= DEADLOCK_GRACE_MS && this.turns - this.suspectTurn >= DEADLOCK_TURNS) {
      this.finish({ kind: 'deadlock', inFlight: this.quiescence.inFlight() });
    }
    return false;
  }

  /**
   * The body waits, only intervals are queued, and this interval firing follows
   * another that changed nothing observable (no timer created or cleared, no
   * trace event, no task settled): after `maxIdleIntervals` of those in a row
   * nothing but an interval can ever wake the body, and none does.
   */
  private idleInterval(): boolean {
    const activity = this.activity();
    if (activity !== this.idleMark) {
      this.idleMark = activity;
      this.idleIntervals = 0;
      return false;
    }
    if (++this.idleIntervals < this.limits.maxIdleIntervals) return false;
    this.finish({ kind: 'idle-intervals', firings: this.idleIntervals });
    return true;
  }

  /** Body and tasks settled, real work still open: end after OPEN_HANDLES_GRACE_MS. */
  private stalled(): void {
    if (!this.isSettled()) {
      this.stallSince = -1;
      return;
    }
    const now = realPerformanceNow();
    if (this.stallSince < 0) this.stallSince = now;
    else if (now - this.stallSince >= OPEN_HANDLES_GRACE_MS) {
      this.finish({ kind: 'open-handles', handles: this.quiescence.inFlight() });
    }
  }

  private checkWall(): boolean {
    const elapsed = realPerformanceNow() - this.startedAt;
    if (this.limits.progress && elapsed - this.lastProgress >= PROGRESS_EVERY_MS) {
      this.lastProgress = elapsed;
      this.limits.progress({ steps: this.steps, wallMs: elapsed });
    }
    if (elapsed <= this.limits.wallTimeoutMs) return false;
    this.finish({
      kind: 'limit',
      limit: 'wallTimeout',
      detail: `still running after ${Math.round(elapsed)} ms of real time (wallTimeout ${this.limits.wallTimeoutMs} ms)${openWork(this.quiescence.inFlight())}`,
    });
    return true;
  }
}

function openWork(inFlight: string[]): string {
  return inFlight.length ? `; real work started in the run still in flight: ${inFlight.join('; ')}` : '';
}

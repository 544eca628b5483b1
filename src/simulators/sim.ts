import type { Random, Seed } from '../random/random.js';
import type { Clock } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';
import type { Trace } from '../trace/trace.js';
import type { VirtualClock } from './virtual-clock.js';

/** A named concurrent task started with `sim.spawn`. */
export interface TaskRecord {
  readonly id: number;
  readonly name: string;
  settled: boolean;
  error?: unknown;
}

/**
 * What the body of `simulate` receives: virtual time, seeded randomness, the
 * trace, and named tasks. Later layers add services, agents and resilience
 * primitives bound to the same clock, random stream and trace.
 *
 * @example
 * ```ts
 * await simulate({ seed: 7 }, async (sim) => {
 *   sim.spawn('poller', async () => { await sim.sleep('5s'); sim.emit('poll.done') });
 *   await sim.sleep('10s');
 * });
 * ```
 */
export class Sim {
  readonly seed: Seed;
  readonly name: string | undefined;
  /** The run's seeded stream for user code; fork it by name for components. */
  readonly random: Random;
  /** The virtual clock as a `Clock`, for primitives that take one. */
  readonly clock: Clock;
  /** The run's trace. */
  readonly trace: Trace;
  /** Root stream; components fork from it by name so they never shift each other's draws. */
  readonly rootRandom: Random;
  /** @internal */
  readonly tasks: TaskRecord[] = [];
  /** @internal */
  pendingTasks = 0;
  private nextTaskId = 1;

  /** @internal */
  constructor(seed: Seed, name: string | undefined, root: Random, clock: VirtualClock, trace: Trace) {
    this.seed = seed;
    this.name = name;
    this.rootRandom = root;
    this.random = root.fork('user');
    this.clock = clock;
    this.trace = trace;
  }

  /** Virtual milliseconds since the start of the run. */
  now(): number {
    return this.clock.now();
  }

  /** Waits `time` of virtual time; rejects at once if `signal` aborts. */
  sleep(time: Duration, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(duration(time, 'sim.sleep(duration)'), signal);
  }

  /** Records a user event in the trace. */
  emit(kind: string, data?: Record<string, unknown>, actor?: string): void {
    this.trace.emit(kind, actor, data);
  }

  /**
   * Starts a named concurrent task. The run does not end until it settles; if
   * the run deadlocks, the message names it and its last trace events. A failure
   * is traced (`task.end` with `ok: false`) and listed in `result.taskErrors`.
   */
  spawn<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const record: TaskRecord = { id: this.nextTaskId++, name, settled: false };
    this.tasks.push(record);
    this.pendingTasks++;
    this.trace.emit('task.start', name, { task: record.id });
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(fn());
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      () => this.settle(record, undefined, true),
      (error) => this.settle(record, error, false),
    );
    return promise;
  }

  private settle(record: TaskRecord, error: unknown, ok: boolean): void {
    record.settled = true;
    this.pendingTasks--;
    if (!ok) record.error = error;
    this.trace.emit('task.end', record.name, ok ? { task: record.id, ok } : { task: record.id, ok, error });
  }
}

import type { Trace } from '../../trace/trace.js';

/*
 * The run's named tasks (`sim.spawn`): each is traced when it starts and ends,
 * counted while pending (the run does not end before they settle), and kept
 * with its error for the result and the deadlock report.
 *
 * A failure nobody observes fails the run. The promise `spawn` returns is the
 * one the user may await; if the task fails and that promise has no handler
 * (Node's unhandled-rejection rule), the kernel receives the rejection and
 * `unobserved(promise)` names the task. `allowFailure` tasks are handled here,
 * so their failure only lands in `taskErrors` and the trace.
 */

/** A named concurrent task started with `sim.spawn`. */
export interface TaskRecord {
  readonly id: number;
  readonly name: string;
  settled: boolean;
  error?: unknown;
}

/** Options of `sim.spawn`. */
export interface SpawnOptions {
  /**
   * The task is expected to fail sometimes: a failure nothing awaits is only
   * recorded (`result.taskErrors`, `task.end` in the trace) instead of failing
   * the run. Default false.
   */
  allowFailure?: boolean;
}

export class TaskRegistry {
  /** Every task started, in start order. */
  readonly records: TaskRecord[] = [];
  /** Tasks not yet settled. */
  pending = 0;
  private nextId = 1;
  private readonly returned = new WeakMap<Promise<unknown>, TaskRecord>();

  constructor(private readonly trace: Trace) {}

  /** Starts `fn` as the task `name`; the returned promise settles as it does. */
  spawn<T>(name: string, fn: () => Promise<T> | T, allowFailure = false): Promise<T> {
    const record: TaskRecord = { id: this.nextId++, name, settled: false };
    this.records.push(record);
    this.pending++;
    this.trace.emit('task.start', name, { task: record.id });
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(fn());
    } catch (error) {
      promise = Promise.reject(error);
    }
    const returned = promise.then(
      (value) => {
        this.settle(record, undefined, true);
        return value;
      },
      (error) => {
        this.settle(record, error, false);
        throw error;
      },
    );
    if (allowFailure) returned.catch(ignore);
    else this.returned.set(returned, record);
    return returned;
  }

  /** The task whose unobserved failure `promise` is, if it is one. */
  unobserved(promise: Promise<unknown> | undefined): TaskRecord | undefined {
    return promise ? this.returned.get(promise) : undefined;
  }

  private settle(record: TaskRecord, error: unknown, ok: boolean): void {
    record.settled = true;
    this.pending--;
    if (!ok) record.error = error;
    this.trace.emit('task.end', record.name, ok ? { task: record.id, ok } : { task: record.id, ok, error });
  }
}

function ignore(): void {}

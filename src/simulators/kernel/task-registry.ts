import type { Trace } from '../../trace/trace.js';

/*
 * The run's named tasks (`sim.spawn`): each is traced when it starts and ends,
 * counted while pending (the run does not end before they settle), and kept
 * with its error for the result and the deadlock report.
 */

/** A named concurrent task started with `sim.spawn`. */
export interface TaskRecord {
  readonly id: number;
  readonly name: string;
  settled: boolean;
  error?: unknown;
}

export class TaskRegistry {
  /** Every task started, in start order. */
  readonly records: TaskRecord[] = [];
  /** Tasks not yet settled. */
  pending = 0;
  private nextId = 1;

  constructor(private readonly trace: Trace) {}

  /** Starts `fn` as the task `name`; the returned promise settles as it does. */
  spawn<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
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
    promise.then(
      () => this.settle(record, undefined, true),
      (error) => this.settle(record, error, false),
    );
    return promise;
  }

  private settle(record: TaskRecord, error: unknown, ok: boolean): void {
    record.settled = true;
    this.pending--;
    if (!ok) record.error = error;
    this.trace.emit('task.end', record.name, ok ? { task: record.id, ok } : { task: record.id, ok, error });
  }
}

/*
 * A hand-written bulkhead (a counter and an array, the way many teams write
 * one), instrumented: it emits faultline's bulkhead events as it decides, so
 * `invariants.bulkhead()` judges it. Each mutant is one line of difference.
 */
import type { BulkheadConfig } from '../../../src/properties/arbitraries/pattern-configs.js';
import { errorData } from '../../../src/resilience/options.js';
import type { TraceSink } from '../../../src/trace/event.js';

export type BulkheadBug = 'admits one over maxConcurrent' | 'LIFO queue';

interface Waiter {
  call: number;
  queuedAt: number;
  start(): void;
}

export class HandBulkhead {
  private running = 0;
  private calls = 0;
  private readonly queue: Waiter[] = [];
  private readonly limit: number;

  constructor(
    private readonly trace: TraceSink,
    private readonly name: string,
    private readonly config: BulkheadConfig,
    private readonly now: () => number,
    private readonly bug?: BulkheadBug,
  ) {
    this.limit = bug === 'admits one over maxConcurrent' ? config.maxConcurrent + 1 : config.maxConcurrent;
    trace.emit('bulkhead.declared', name, { ...config });
  }

  execute<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const call = this.calls++;
    if (this.running < this.limit && this.queue.length === 0) return this.run(fn, call, undefined);
    if (this.queue.length >= this.config.maxQueue) {
      this.trace.emit('bulkhead.rejected', this.name, {
        call,
        running: this.running,
        queued: this.queue.length,
      });
      return Promise.reject(new Error(`bulkhead ${this.name} is full`));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        if (at < 0) return;
        this.queue.splice(at, 1);
        this.trace.emit('bulkhead.abandoned', this.name, {
          call,
          queued: this.queue.length,
          error: errorData(signal!.reason),
        });
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        call,
        queuedAt: this.now(),
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.run(fn, call, waiter.queuedAt).then(resolve, reject);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.trace.emit('bulkhead.queued', this.name, {
        call,
        running: this.running,
        queued: this.queue.length,
      });
    });
  }

  private async run<T>(fn: () => Promise<T>, call: number, queuedAt: number | undefined): Promise<T> {
    this.running++;
    this.trace.emit('bulkhead.admitted', this.name, {
      call,
      running: this.running,
      ...(queuedAt === undefined ? {} : { waited: this.now() - queuedAt }),
    });
    try {
      return await fn();
    } finally {
      this.running--;
      this.trace.emit('bulkhead.released', this.name, { call, running: this.running });
      while (this.running < this.limit && this.queue.length > 0) {
        const next = this.bug === 'LIFO queue' ? this.queue.pop()! : this.queue.shift()!;
        next.start();
      }
    }
  }
}

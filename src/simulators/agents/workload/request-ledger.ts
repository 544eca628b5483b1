import { FaultlineError } from '../../../errors/faultline-error.js';
import { withRequest } from '../../../trace/correlation.js';
import type { TraceSink } from '../../../trace/event.js';

/*
 * Every workload request ends exactly once — success, failure or rejected (a
 * breaker, bulkhead or rate limiter refused it) — and the ledger counts them
 * for `result.stats.requests`. Traced as `request.start` / `request.end`.
 */

export type RequestOutcome = 'success' | 'failure' | 'rejected';

export interface RequestCounts {
  started: number;
  succeeded: number;
  failed: number;
  rejected: number;
}

const REJECTION_CODES = new Set(['BROKEN_CIRCUIT', 'BULKHEAD_REJECTED', 'RATE_LIMITED']);

/** True for errors that mean "refused without trying" rather than "tried and failed". */
export function isRejection(error: unknown): boolean {
  return FaultlineError.is(error) && REJECTION_CODES.has(error.code);
}

export class RequestLedger {
  readonly counts: RequestCounts = { started: 0, succeeded: 0, failed: 0, rejected: 0 };

  private lastId = 0;

  constructor(private readonly trace: TraceSink) {}

  /** A new correlation id (`req-1`, `req-2`, … in the order requests start). */
  nextRequestId(): string {
    return `req-${++this.lastId}`;
  }

  get pending(): number {
    const c = this.counts;
    return c.started - c.succeeded - c.failed - c.rejected;
  }

  /** Starts request `i` of `workload` and settles it when `work` settles. Never rejects. */
  run(workload: string, i: number, work: () => unknown): Promise<RequestOutcome> {
    // The request's id travels with everything it starts (see trace/correlation.ts).
    return withRequest(this.nextRequestId(), () => this.start(workload, i, work));
  }

  private start(workload: string, i: number, work: () => unknown): Promise<RequestOutcome> {
    this.counts.started++;
    this.trace.emit('request.start', workload, { i });
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(work());
    } catch (error) {
      promise = Promise.reject(error);
    }
    return promise.then(
      () => this.end(workload, i, 'success', undefined),
      (error) => this.end(workload, i, isRejection(error) ? 'rejected' : 'failure', error),
    );
  }

  private end(workload: string, i: number, outcome: RequestOutcome, error: unknown): RequestOutcome {
    if (outcome === 'success') this.counts.succeeded++;
    else if (outcome === 'rejected') this.counts.rejected++;
    else this.counts.failed++;
    const e = error as { name?: string; message?: string } | undefined;
    this.trace.emit(
      'request.end',
      workload,
      error === undefined
        ? { i, outcome }
        : { i, outcome, error: `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}` },
    );
    return outcome;
  }
}

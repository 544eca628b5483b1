/*
 * A hand-written token bucket (tokens and a last-refill time, the way many
 * teams write one), instrumented: it emits faultline's rate-limiter events as
 * it decides, so `invariants.rateLimiter()` judges it. Each mutant is one line
 * of difference.
 */
import type { RateLimiterConfig } from '../../../src/properties/arbitraries/pattern-configs.js';
import type { TraceSink } from '../../../src/trace/event.js';

export type RateLimiterBug = 'refills too fast' | 'bucket starts over burst';

/** Float slack when comparing token counts. */
const SLACK = 1e-9;

export class HandRateLimiter {
  private tokens: number;
  private last: number;
  private calls = 0;
  private waiting = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly perMs: number;

  constructor(
    private readonly trace: TraceSink,
    private readonly name: string,
    private readonly config: RateLimiterConfig,
    private readonly now: () => number,
    bug?: RateLimiterBug,
  ) {
    this.perMs = (bug === 'refills too fast' ? 2 * config.rate : config.rate) / 1000;
    this.tokens = bug === 'bucket starts over burst' ? config.burst + 1 : config.burst;
    this.last = now();
    trace.emit('rate-limiter.declared', name, { ...config });
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) this.tokens = Math.min(this.config.burst, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
  }

  private take(call: number, queuedAt: number): boolean {
    this.refill();
    if (this.tokens < 1 - SLACK) return false;
    this.tokens -= 1;
    const waited = this.now() - queuedAt;
    this.trace.emit('rate-limiter.granted', this.name, { call, ...(waited > 0 ? { waited } : {}) });
    return true;
  }

  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const call = this.calls++;
    const queuedAt = this.now();
    if (this.waiting === 0 && this.take(call, queuedAt)) return fn();
    const wait = Math.max(0, (this.waiting + 1 - this.tokens) / this.perMs);
    const { mode, maxWait } = this.config;
    if (mode === 'reject' || (maxWait !== undefined && wait > maxWait)) {
      this.trace.emit('rate-limiter.rejected', this.name, { call, retryAfter: wait });
      throw new Error(`rate limited; retry in ${wait} ms`);
    }
    this.waiting++;
    this.trace.emit('rate-limiter.queued', this.name, { call, waiting: this.waiting, expectedWait: wait });
    // Waiters take their turn one after another (FIFO), each sleeping until its token is due.
    const turn = this.tail.then(async () => {
      while (!this.take(call, queuedAt)) await sleep((1 - this.tokens) / this.perMs);
      this.waiting--;
    });
    this.tail = turn;
    await turn;
    return fn();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/*
 * A hand-written retry with exponential backoff (the way many teams write one)
 * and deliberately broken variants of it. Each mutant is one line of difference.
 */
import type { RetryConfig } from '../../../src/properties/arbitraries/configs.js';
import { classifyError } from '../../../src/resilience/classify-error.js';

export type RetryBug =
  | 'retries permanent errors'
  | 'one retry too many'
  | 'jitter above the cap'
  | 'delay overflow at large attempt numbers'
  | 'retry after abort'
  | 'Retry-After ignored';

export class HandRetry {
  constructor(
    private readonly config: RetryConfig,
    private readonly random: () => number,
    private readonly bug?: RetryBug,
  ) {}

  private backoff(n: number, previous: number): number {
    const { baseDelay: base, maxDelay: max, backoffFactor: factor, jitter } = this.config;
    const growth =
      this.bug === 'delay overflow at large attempt numbers' ? (factor ** (n - 1)) | 0 : factor ** (n - 1);
    const d = Math.min(max, base * growth);
    const u = this.random();
    switch (jitter) {
      case 'none':
        return d;
      case 'full':
        return this.bug === 'jitter above the cap' ? d * 2 * u : d * u;
      case 'equal':
        return this.bug === 'jitter above the cap' ? d / 2 + d * u : d / 2 + (d / 2) * u;
      case 'proportional':
        return this.bug === 'jitter above the cap' ? d * (0.9 + 0.2 * u) : Math.min(max, d * (0.9 + 0.2 * u));
      case 'decorrelated': {
        const next = base + (Math.max(previous, base) * 3 - base) * u;
        return this.bug === 'jitter above the cap' ? next : Math.min(max, next);
      }
    }
  }

  async execute<T>(fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let previous = this.config.baseDelay;
    const most = this.bug === 'one retry too many' ? this.config.maxRetries + 1 : this.config.maxRetries;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (error) {
        const c = classifyError(error, Date.now());
        if (c.kind === 'permanent' && this.bug !== 'retries permanent errors') throw error;
        if (attempt > most) throw error;
        if (signal?.aborted) throw signal.reason;
        let delay = this.backoff(attempt, previous);
        previous = delay;
        if (c.retryAfterMs !== undefined && this.bug !== 'Retry-After ignored')
          delay = Math.max(delay, c.retryAfterMs);
        await sleep(delay, this.bug === 'retry after abort' ? undefined : signal);
      }
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

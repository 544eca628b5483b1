/*
 * A hand-written lazy circuit breaker (the way many teams write one) and
 * deliberately broken variants of it. Each mutant is one line of difference.
 */
import type { BreakerConfig } from '../../../src/properties/arbitraries/configs.js';

export type BreakerBug =
  | 'off-by-one threshold'
  | 'half-open admits everyone'
  | 'never half-opens'
  | 'half-opens early'
  | 'closes on the first probe success'
  | 'late results reopen'
  | 'counts failures, not consecutive ones';

export class HandBreaker {
  state: 'closed' | 'open' | 'half-open' = 'closed';
  private failures = 0;
  private successes = 0;
  private probes = 0;
  private openedAt = 0;
  private generation = 0;

  constructor(
    private readonly config: BreakerConfig,
    private readonly now: () => number,
    private readonly bug?: BreakerBug,
  ) {}

  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const { timeout, maxConcurrentCalls } = this.config;
    const due = this.bug === 'half-opens early' ? this.openedAt + timeout / 2 : this.openedAt + timeout;
    if (this.state === 'open' && this.now() >= due && this.bug !== 'never half-opens')
      this.enter('half-open');
    if (this.state === 'open') throw new Error('breaker open');
    const probe = this.state === 'half-open';
    if (probe && this.probes >= maxConcurrentCalls && this.bug !== 'half-open admits everyone') {
      throw new Error('breaker half-open: probe slots full');
    }
    if (probe) this.probes++;
    const generation = this.generation;
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      this.onFailure(generation, probe);
      throw error;
    }
    this.onSuccess(generation, probe);
    return value;
  }

  private onFailure(generation: number, probe: boolean): void {
    if (generation !== this.generation && this.bug !== 'late results reopen') return;
    if (generation !== this.generation) {
      this.enter('open');
      return;
    }
    if (probe) {
      this.probes--;
      this.enter('open');
      return;
    }
    this.failures++;
    const reached =
      this.bug === 'off-by-one threshold'
        ? this.failures > this.config.failureThreshold
        : this.failures >= this.config.failureThreshold;
    if (reached) this.enter('open');
  }

  private onSuccess(generation: number, probe: boolean): void {
    if (generation !== this.generation) return;
    if (!probe) {
      if (this.bug !== 'counts failures, not consecutive ones') this.failures = 0;
      return;
    }
    this.probes--;
    this.successes++;
    const needed = this.bug === 'closes on the first probe success' ? 1 : this.config.successThreshold;
    if (this.successes >= needed) this.enter('closed');
  }

  private enter(state: 'closed' | 'open' | 'half-open'): void {
    this.state = state;
    this.generation++;
    this.probes = 0;
    this.successes = 0;
    if (state === 'open') this.openedAt = this.now();
    if (state === 'closed') this.failures = 0;
  }
}

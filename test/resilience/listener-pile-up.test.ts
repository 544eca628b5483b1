import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { circuitBreaker, retry, simulate } from '../../src/index.js';

/** What the openai SDK does with the signal it is given: one abort listener per call, never removed. */
function sdkLikeCall(signal: AbortSignal): Promise<number> {
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort());
  return Promise.resolve(1);
}

describe('no listener pile-up on the signal policies hand user code', () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('100,000 calls through a breaker and a retry without a caller signal: no listeners kept, no warning', async () => {
    const breaker = circuitBreaker({ name: 'llm', failureThreshold: 5 });
    const policy = retry({ name: 'llm', maxRetries: 2, baseDelay: 0 });
    const signals = new Set<AbortSignal>();
    for (let i = 0; i < 100_000; i++) {
      await policy.execute((_attempt, s1) =>
        breaker.execute((s2) => {
          signals.add(s1).add(s2);
          return sdkLikeCall(s2);
        }),
      );
    }
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    for (const signal of signals) {
      expect(signal.aborted).toBe(false);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    }
    expect(warnings.map(String)).toEqual([]);
  });

  it('three simulated runs of 20 calls each leave no listener behind', async () => {
    const seen = new Set<AbortSignal>();
    for (let run = 0; run < 3; run++) {
      await simulate({ seed: run }, async (sim) => {
        const breaker = sim.breaker('llm', { failureThreshold: 5 });
        const agent = sim.agent('researcher', (_q: string, { signal }) => {
          seen.add(signal);
          return sdkLikeCall(signal);
        });
        for (let i = 0; i < 20; i++)
          await breaker.execute((signal) => {
            seen.add(signal);
            return agent.run(`q${i}`).then(() => sdkLikeCall(signal));
          });
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.size).toBeGreaterThan(0);
    for (const signal of seen) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(warnings.map(String)).toEqual([]);
  });

  it('a caller signal is passed through untouched', async () => {
    const breaker = circuitBreaker({ name: 'llm' });
    const controller = new AbortController();
    let got: AbortSignal | undefined;
    await breaker.execute((signal) => {
      got = signal;
      return 1;
    }, controller.signal);
    expect(got).toBe(controller.signal);
  });
});

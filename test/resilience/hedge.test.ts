import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { type HedgeOptions, hedge } from '../../src/resilience/hedge.js';
import { RetryBudget } from '../../src/resilience/retry-budget.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, traceOn } from './helpers.js';

function setup(options: Omit<HedgeOptions, 'clock' | 'trace'>) {
  const clock = new ManualClock();
  const trace = traceOn(clock);
  return { clock, trace, h: hedge({ name: 'h', clock, trace, ...options }) };
}

/** An attempt that answers `value` after `ms`, or rejects with its signal's reason when aborted. */
function answerAfter<T>(clock: ManualClock, ms: number, value: T, fail = false) {
  return (signal: AbortSignal) =>
    clock.sleep(ms, signal).then(() => (fail ? Promise.reject(new Error(String(value))) : value));
}

describe('hedge', () => {
  it('starts another attempt exactly every delay without a result, up to maxAttempts', async () => {
    const { h, clock, trace } = setup({ delay: 100, maxAttempts: 3 });
    const starts: number[] = [];
    const result = capture(
      h.execute((attempt, signal) => {
        starts.push(clock.now());
        return answerAfter(clock, 1000, attempt)(signal);
      }),
    );
    await clock.advance(99);
    expect(starts).toEqual([0]);
    await clock.advance(1);
    expect(starts).toEqual([0, 100]);
    await clock.advance(100);
    expect(starts).toEqual([0, 100, 200]);
    await clock.advance(500);
    expect(starts).toHaveLength(3);
    await clock.advance(300);
    expect(result.value).toBe(0); // attempt 0 answers first, at 1000
    expect(trace.ofKind('hedge.aborted').map((e) => e.data)).toEqual([
      { call: 0, attempt: 1 },
      { call: 0, attempt: 2 },
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('the first success wins and every other attempt is aborted', async () => {
    const { h, clock } = setup({ delay: 100, maxAttempts: 2 });
    const aborted: number[] = [];
    const result = capture(
      h.execute((attempt, signal) => {
        signal.addEventListener('abort', () => aborted.push(attempt));
        return answerAfter(clock, attempt === 0 ? 1000 : 50, `#${attempt}`)(signal);
      }),
    );
    await clock.advance(150);
    expect(result.value).toBe('#1');
    expect(aborted).toEqual([0]);
  });

  it('a failure starts the next attempt at once; rejects only when every attempt failed', async () => {
    const { h, clock, trace } = setup({ delay: 1000, maxAttempts: 3 });
    const starts: number[] = [];
    const result = capture(
      h.execute((attempt, signal) => {
        starts.push(clock.now());
        return answerAfter(clock, 10, `fail ${attempt}`, true)(signal);
      }),
    );
    await clock.advance(30);
    expect(starts).toEqual([0, 10, 20]);
    expect(result.error).toMatchObject({ message: 'fail 2' });
    expect(trace.ofKind('hedge.exhausted')).toHaveLength(1);
  });

  it('maxAttempts 1 makes no hedge; a caller abort aborts every attempt', async () => {
    const one = setup({ delay: 10, maxAttempts: 1 });
    let n = 0;
    const r = capture(
      one.h.execute((_a, s) => {
        n++;
        return answerAfter(one.clock, 100, 'x')(s);
      }),
    );
    await one.clock.advance(100);
    expect([n, r.value]).toEqual([1, 'x']);
    const { h, clock } = setup({ delay: 10, maxAttempts: 3 });
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const result = capture(
      h.execute((_a, s) => {
        signals.push(s);
        return answerAfter(clock, 100, 'x')(s);
      }, controller.signal),
    );
    await clock.advance(15);
    controller.abort(new Error('caller left'));
    await clock.settle();
    expect(result.error).toMatchObject({ message: 'caller left' });
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('hedges spend retry-budget tokens and stop when the budget is empty', async () => {
    const budget = new RetryBudget({ capacity: 5, retryCost: 5, successRefund: 0 });
    const { h, clock, trace } = setup({ delay: 10, maxAttempts: 3, budget });
    const first = capture(h.execute((_a, s) => answerAfter(clock, 100, 'x')(s)));
    await clock.advance(100);
    expect(first.value).toBe('x');
    expect(trace.ofKind('hedge.attempt')).toHaveLength(2); // the second hedge had no tokens
    expect(trace.ofKind('hedge.budget-exhausted')).toHaveLength(1);
    expect(budget.tokens).toBe(5); // a success after a hedge returns one hedge's cost
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => hedge({ delay: -1 })).toThrow(/hedge\(\{ delay \}\)/);
    expect(() => hedge({} as never)).toThrow(ConfigError);
    expect(() => hedge({ delay: 1, maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => hedge({ delay: 1, attempts: 2 } as never)).toThrow(/hedge\(\{ attempts \}\)/);
  });
});

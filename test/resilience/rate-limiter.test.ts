import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { RateLimitedError } from '../../src/errors/rate-limited-error.js';
import { type RateLimiterOptions, rateLimiter } from '../../src/resilience/rate-limiter.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, traceOn } from './helpers.js';

function setup(options: Omit<RateLimiterOptions, 'clock' | 'trace'>) {
  const clock = new ManualClock();
  const trace = traceOn(clock);
  const limiter = rateLimiter({ name: 'api', clock, trace, ...options });
  return { clock, trace, limiter };
}

describe('rateLimiter: reject mode', () => {
  it('starts full with burst tokens, then refuses with retryAfterMs until the next token', async () => {
    const { limiter, clock } = setup({ rate: '10/s', burst: 3 });
    for (let i = 0; i < 3; i++) await expect(limiter.execute(() => i)).resolves.toBe(i);
    const error = await limiter.execute(() => 'no').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ source: 'api', retryAfterMs: 100 });
    await clock.advance(99);
    await expect(limiter.acquire()).rejects.toMatchObject({ retryAfterMs: 1 });
    await clock.advance(1);
    await expect(limiter.acquire()).resolves.toBeUndefined();
    await expect(limiter.acquire()).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('refills continuously up to burst, never beyond', async () => {
    const { limiter, clock } = setup({ rate: '600/m', burst: 2 });
    await clock.advance(60_000);
    expect(limiter.metrics().tokens).toBe(2);
    await limiter.acquire();
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toBeInstanceOf(RateLimitedError);
    await clock.advance(150);
    expect(limiter.metrics().tokens).toBeCloseTo(1.5);
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toMatchObject({ retryAfterMs: 50 });
  });

  it('over any interval of length T grants at most burst + rate × T (dense probing)', async () => {
    const { limiter, clock, trace } = setup({ rate: '5/s', burst: 4 });
    for (let t = 0; t < 5_000; t += 7) {
      await clock.advanceTo(t);
      for (let k = 0; k < 3; k++) await limiter.acquire().catch(() => undefined);
    }
    const grants = trace.ofKind('rate-limiter.granted').map((e) => e.t);
    expect(grants.length).toBeGreaterThan(20);
    for (let i = 0; i < grants.length; i++) {
      for (let j = i; j < grants.length; j++) {
        expect(j - i + 1).toBeLessThanOrEqual(4 + 0.005 * (grants[j]! - grants[i]!) + 1e-9);
      }
    }
    // the bound is reached: 3 probes at t = 0, the 4th token at t = 7, then one per 200 ms
    expect(grants.slice(0, 6)).toEqual([0, 0, 0, 7, 203, 406]);
  });

  it('traces the declaration and each decision', async () => {
    const { limiter, trace } = setup({ rate: 2, burst: 1 });
    await limiter.acquire();
    await limiter.acquire().catch(() => undefined);
    expect(trace.events.map((e) => [e.kind, e.data])).toEqual([
      ['rate-limiter.declared', { rate: 2, burst: 1, mode: 'reject' }],
      ['rate-limiter.granted', { call: 0 }],
      ['rate-limiter.rejected', { call: 1, retryAfter: 500 }],
    ]);
  });
});

describe('rateLimiter: wait mode', () => {
  it('callers wait FIFO, each granted exactly when its token comes', async () => {
    const { limiter, clock, trace } = setup({ rate: '10/s', burst: 1, mode: 'wait' });
    const done: [string, number][] = [];
    const calls = ['a', 'b', 'c'].map((id) =>
      limiter.execute(() => {
        done.push([id, clock.now()]);
      }),
    );
    await clock.advance(99);
    expect(done).toEqual([['a', 0]]);
    await clock.advance(1);
    expect(done).toEqual([
      ['a', 0],
      ['b', 100],
    ]);
    await clock.advance(100);
    await Promise.all(calls);
    expect(done).toEqual([
      ['a', 0],
      ['b', 100],
      ['c', 200],
    ]);
    expect(trace.ofKind('rate-limiter.granted').map((e) => e.data)).toEqual([
      { call: 0 },
      { call: 1, waited: 100 },
      { call: 2, waited: 200 },
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('maxWait: a caller whose wait would exceed it is refused at once; exactly maxWait waits', async () => {
    const { limiter, clock } = setup({ rate: '10/s', mode: 'wait', maxWait: 200 });
    await limiter.acquire();
    const b = capture(limiter.acquire()); // waits 100
    const c = capture(limiter.acquire()); // waits 200 = maxWait
    const d = capture(limiter.acquire()); // would wait 300
    await clock.settle();
    expect(d.error).toBeInstanceOf(RateLimitedError);
    expect(d.error).toMatchObject({ retryAfterMs: 300 });
    await clock.advance(200);
    expect(b.settled && c.settled).toBe(true);
    expect(c.error).toBeUndefined();
  });

  it('an aborted waiter leaves the queue and the one behind moves up', async () => {
    const { limiter, clock } = setup({ rate: '10/s', mode: 'wait' });
    await limiter.acquire();
    const controller = new AbortController();
    const b = capture(limiter.acquire(controller.signal));
    const c = capture(limiter.acquire());
    controller.abort(new Error('bye'));
    await clock.advance(100);
    expect(b.error).toMatchObject({ message: 'bye' });
    expect(c.settled).toBe(true);
    expect(c.error).toBeUndefined();
    expect(limiter.metrics()).toMatchObject({ granted: 2, abandoned: 1, waiting: 0 });
  });
});

describe('rateLimiter: options', () => {
  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => rateLimiter({ rate: '10/x' })).toThrow(/rateLimiter\(\{ rate \}\)/);
    expect(() => rateLimiter({ rate: 0 })).toThrow(ConfigError);
    expect(() => rateLimiter({ rate: '1/s', burst: 0 })).toThrow(/burst/);
    expect(() => rateLimiter({ rate: '1/s', mode: 'queue' as never })).toThrow(/mode/);
    expect(() => rateLimiter({ rate: '1/s', maxWait: '1s' })).toThrow(/maxWait/);
    expect(() => rateLimiter({ rate: '1/s', mode: 'wait', maxWait: -1 })).toThrow(/maxWait/);
    expect(() => rateLimiter({ rate: '1/s', brust: 2 } as never)).toThrow(/rateLimiter\(\{ brust \}\)/);
  });
});

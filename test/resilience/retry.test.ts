import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrokenCircuitError } from '../../src/errors/broken-circuit-error.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { RetryExhaustedError } from '../../src/errors/retry-exhausted-error.js';
import { seededRandom } from '../../src/random/random.js';
import { circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { type RetryOptions, retry } from '../../src/resilience/retry.js';
import { retryBudget } from '../../src/resilience/retry-budget.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, httpError, traceOn } from './helpers.js';

function setup(options: RetryOptions = {}) {
  const clock = new ManualClock();
  const trace = traceOn(clock);
  const policy = retry({
    maxRetries: 3,
    baseDelay: 1000,
    maxDelay: 30_000,
    backoffFactor: 2,
    jitter: 'none',
    name: 'llm',
    clock,
    random: seededRandom(1).fork('retry'),
    trace,
    ...options,
  });
  return { clock, trace, policy };
}

/** A callee that fails with `errors[i]` on attempt i+1 and then succeeds; records attempt times. */
function script(clock: ManualClock, errors: unknown[]) {
  const calls: Array<{ attempt: number; t: number }> = [];
  const fn = async (attempt: number) => {
    calls.push({ attempt, t: clock.now() });
    const error = errors[attempt - 1];
    if (error !== undefined) throw error;
    return `ok@${attempt}`;
  };
  return { fn, calls };
}

describe('retry: attempts', () => {
  it('a first-time success makes one attempt', async () => {
    const { policy, trace } = setup();
    await expect(policy.execute(() => 'fine')).resolves.toBe('fine');
    expect(trace.events.map((e) => [e.kind, e.data])).toEqual([
      [
        'retry.declared',
        {
          maxRetries: 3,
          baseDelay: 1000,
          maxDelay: 30_000,
          backoffFactor: 2,
          jitter: 'none',
          jitterRatio: 0.1,
          maxRetryAfter: 60_000,
          classify: 'default',
        },
      ],
      ['retry.attempt', { call: 1, attempt: 1 }],
      ['retry.success', { call: 1, attempts: 1 }],
    ]);
  });

  it('retries transient errors and returns the eventual success', async () => {
    const { policy, clock } = setup();
    const { fn, calls } = script(clock, [httpError(503), httpError(502)]);
    const result = capture(policy.execute(fn));
    await clock.runAll();
    expect(result.value).toBe('ok@3');
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it('makes at most maxRetries + 1 attempts, then throws RetryExhaustedError', async () => {
    const { policy, clock, trace } = setup();
    const errors = [1, 2, 3, 4, 5].map((i) => Object.assign(httpError(503), { message: `failure ${i}` }));
    const { fn, calls } = script(clock, errors);
    const result = capture(policy.execute(fn));
    await clock.runAll();
    expect(calls).toHaveLength(4);
    const error = result.error as RetryExhaustedError;
    expect(RetryExhaustedError.is(error)).toBe(true);
    expect(error.attempts).toBe(4);
    expect(error.errors).toEqual(errors.slice(0, 4));
    expect(error.cause).toBe(errors[3]);
    expect(error.reason).toBe('max-retries');
    expect(error.source).toBe('llm');
    expect(error.message).toContain('4 attempts');
    expect(trace.ofKind('retry.gave-up').map((e) => e.data)).toEqual([
      { call: 1, attempts: 4, reason: 'max-retries', error: { name: 'Error', message: 'failure 4' } },
    ]);
  });

  it('maxRetries 0 means exactly one attempt', async () => {
    const { policy, clock } = setup({ maxRetries: 0 });
    const { fn, calls } = script(clock, [httpError(503)]);
    const result = capture(policy.execute(fn));
    await clock.runAll();
    expect(calls).toHaveLength(1);
    expect((result.error as RetryExhaustedError).attempts).toBe(1);
  });

  it('rethrows a permanent error as is after one attempt', async () => {
    const { policy, clock, trace } = setup();
    const denied = httpError(401);
    const { fn, calls } = script(clock, [denied]);
    const result = capture(policy.execute(fn));
    await clock.runAll();
    expect(result.error).toBe(denied);
    expect(calls).toHaveLength(1);
    expect(trace.ofKind('retry.gave-up')[0]!.data).toMatchObject({ attempts: 1, reason: 'permanent' });
  });

  it('treats a BrokenCircuitError as permanent unless retryBrokenCircuit', async () => {
    const open = new BrokenCircuitError('inner', 'open');
    const a = setup();
    const sa = script(a.clock, [open]);
    const ra = capture(a.policy.execute(sa.fn));
    await a.clock.runAll();
    expect(ra.error).toBe(open);
    const b = setup({ retryBrokenCircuit: true });
    const sb = script(b.clock, [open]);
    const rb = capture(b.policy.execute(sb.fn));
    await b.clock.runAll();
    expect(rb.value).toBe('ok@2');
  });
});

describe('retry: delays', () => {
  it('waits base × factor^(n−1), capped, before retry n (no jitter)', async () => {
    const { policy, clock } = setup({ maxRetries: 6, baseDelay: 1000, maxDelay: 10_000 });
    const { fn, calls } = script(
      clock,
      Array.from({ length: 7 }, () => httpError(503)),
    );
    capture(policy.execute(fn));
    await clock.runAll();
    const gaps = calls.slice(1).map((c, i) => c.t - calls[i]!.t);
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('does not retry 1 ms before the delay', async () => {
    const { policy, clock } = setup();
    const { fn, calls } = script(clock, [httpError(503)]);
    capture(policy.execute(fn));
    await clock.advance(999);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(calls).toHaveLength(2);
  });

  it('traces the delay before sleeping, and the traced delay is the slept delay', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.constantFrom('full', 'equal', 'decorrelated', 'proportional'),
        async (s, jitter) => {
          const clock = new ManualClock();
          const trace = traceOn(clock);
          const policy = retry({
            maxRetries: 4,
            baseDelay: 100,
            maxDelay: 1000,
            jitter: jitter as RetryOptions['jitter'],
            clock,
            trace,
            random: seededRandom(s),
          });
          const { fn, calls } = script(
            clock,
            [1, 2, 3, 4, 5].map(() => httpError(503)),
          );
          capture(policy.execute(fn));
          await clock.runAll();
          const scheduled = trace.ofKind('retry.scheduled');
          expect(scheduled).toHaveLength(4);
          scheduled.forEach((e, i) => {
            expect(e.t).toBe(calls[i]!.t);
            expect(calls[i + 1]!.t).toBe(calls[i]!.t + (e.data!.delay as number));
            expect(e.data!.delay as number).toBeLessThanOrEqual(1000);
            expect(e.data!.attempt).toBe(i + 2);
          });
        },
      ),
      { seed: 3, numRuns: 40 },
    );
  });

  it('is deterministic for the same seed and differs across seeds', async () => {
    async function delays(seed: number) {
      const clock = new ManualClock();
      const trace = traceOn(clock);
      const policy = retry({ maxRetries: 3, jitter: 'full', clock, trace, random: seededRandom(seed) });
      capture(policy.execute(() => Promise.reject(httpError(503))));
      await clock.runAll();
      return trace.ofKind('retry.scheduled').map((e) => e.data!.delay);
    }
    expect(await delays(5)).toEqual(await delays(5));
    expect(await delays(5)).not.toEqual(await delays(6));
  });
});

describe('retry: rate limits and Retry-After', () => {
  it('waits no sooner than Retry-After when it exceeds the backoff', async () => {
    const { policy, clock, trace } = setup();
    const { fn, calls } = script(clock, [httpError(429, { 'retry-after': '5' })]);
    const result = capture(policy.execute(fn));
    await clock.advance(4_999);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(calls).toHaveLength(2);
    expect(result.value).toBe('ok@2');
    expect(trace.ofKind('retry.scheduled')[0]!.data).toEqual({
      call: 1,
      attempt: 2,
      delay: 5000,
      backoff: 1000,
      reason: 'rate-limit',
      status: 429,
      retryAfter: 5000,
    });
  });

  it('keeps the longer backoff when Retry-After is shorter', async () => {
    const { policy, clock } = setup({ baseDelay: 2000 });
    const { fn, calls } = script(clock, [httpError(429, { 'retry-after-ms': '10' })]);
    capture(policy.execute(fn));
    await clock.runAll();
    expect(calls[1]!.t - calls[0]!.t).toBe(2000);
  });

  it('honours an HTTP-date Retry-After relative to clock.now()', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1));
    const policy = retry({ jitter: 'none', baseDelay: 1, clock });
    const at = new Date(clock.now() + 8_000).toUTCString();
    const { fn, calls } = script(clock, [httpError(529, { 'retry-after': at })]);
    capture(policy.execute(fn));
    await clock.runAll();
    expect(calls[1]!.t - calls[0]!.t).toBe(8_000);
  });

  it('gives up when Retry-After exceeds maxRetryAfter (waiting less is pointless)', async () => {
    const { policy, clock } = setup({ maxRetryAfter: '1m' });
    const { fn, calls } = script(clock, [httpError(429, { 'retry-after': '61' })]);
    const result = capture(policy.execute(fn));
    await clock.runAll();
    expect(calls).toHaveLength(1);
    const error = result.error as RetryExhaustedError;
    expect(error.reason).toBe('retry-after-too-long');
    expect(error.attempts).toBe(1);
  });

  it('accepts Retry-After up to maxRetryAfter inclusive, even above maxDelay', async () => {
    const { policy, clock } = setup({ maxDelay: 5000, maxRetryAfter: '60s' });
    const { fn, calls } = script(clock, [httpError(429, { 'retry-after': '60' })]);
    capture(policy.execute(fn));
    await clock.runAll();
    expect(calls[1]!.t - calls[0]!.t).toBe(60_000);
  });

  it('never retries 429 insufficient_quota', async () => {
    const { policy, clock } = setup();
    const quota = httpError(429, { 'x-should-retry': 'false' }, { code: 'insufficient_quota' });
    const { fn, calls } = script(clock, [quota]);
    const result = capture(policy.execute(fn));
    await clock.runAll();
    expect(result.error).toBe(quota);
    expect(calls).toHaveLength(1);
  });
});

describe('retry: abort', () => {
  it('an abort during the wait ends it at once with the abort reason and no further attempt', async () => {
    const { policy, clock, trace } = setup();
    const controller = new AbortController();
    const { fn, calls } = script(clock, [httpError(503)]);
    const result = capture(policy.execute(fn, controller.signal));
    await clock.advance(500);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await clock.settle();
    expect(result.error).toBe(reason);
    expect(clock.now()).toBe(500);
    await clock.runAll();
    expect(calls).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    expect(trace.ofKind('retry.gave-up')[0]!.data).toMatchObject({ attempts: 1, reason: 'aborted' });
  });

  it('an abort during an attempt prevents any retry', async () => {
    const { policy, clock } = setup();
    const controller = new AbortController();
    let calls = 0;
    const result = capture(
      policy.execute(async (_attempt, signal) => {
        calls++;
        controller.abort(new Error('stop'));
        throw signal.reason;
      }, controller.signal),
    );
    await clock.runAll();
    expect((result.error as Error).message).toBe('stop');
    expect(calls).toBe(1);
  });

  it('an already aborted signal makes no attempt', async () => {
    const { policy } = setup();
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    await expect(policy.execute(() => calls++, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(calls).toBe(0);
  });
});

describe('retry: budget', () => {
  it('stops retrying when the shared budget runs out and refunds on success', async () => {
    const budget = retryBudget({ capacity: 10, retryCost: 5, successRefund: 1 });
    const a = setup({ budget });
    const sa = script(a.clock, [httpError(503), httpError(503), httpError(503)]);
    const ra = capture(a.policy.execute(sa.fn));
    await a.clock.runAll();
    // Two retries took the 10 tokens; the third retry is refused.
    expect(sa.calls).toHaveLength(3);
    expect((ra.error as RetryExhaustedError).reason).toBe('budget-exhausted');
    expect(budget.tokens).toBe(0);
    const b = setup({ budget });
    await b.policy.execute(() => 'ok');
    expect(budget.tokens).toBe(1);
  });

  it('a success after retries returns the last retry cost', async () => {
    const budget = retryBudget({ capacity: 100, retryCost: 5 });
    const { policy, clock } = setup({ budget });
    const { fn } = script(clock, [httpError(503), httpError(503)]);
    capture(policy.execute(fn));
    await clock.runAll();
    expect(budget.tokens).toBe(95);
  });

  it('timeouts cost timeoutRetryCost', async () => {
    const { policy, clock } = setup({ budget: { capacity: 100, retryCost: 5, timeoutRetryCost: 10 } });
    const { fn } = script(clock, [httpError(408)]);
    capture(policy.execute(fn));
    await clock.runAll();
    expect(policy.budget!.tokens).toBe(100);
    const second = script(clock, [httpError(408), httpError(408)]);
    capture(policy.execute(second.fn));
    await clock.runAll();
    expect(policy.budget!.tokens).toBe(90);
  });
});

describe('retry: custom decisions', () => {
  it('shouldRetry false stops, true retries even a permanent error', async () => {
    const a = setup({ shouldRetry: () => false });
    const sa = script(a.clock, [httpError(503)]);
    const ra = capture(a.policy.execute(sa.fn));
    await a.clock.runAll();
    expect(sa.calls).toHaveLength(1);
    expect((ra.error as Error).message).toBe('HTTP 503');
    const b = setup({ shouldRetry: (_e, _n, c) => c.status === 400 });
    const sb = script(b.clock, [httpError(400)]);
    const rb = capture(b.policy.execute(sb.fn));
    await b.clock.runAll();
    expect(rb.value).toBe('ok@2');
  });

  it('classify replaces the built-in classification; undefined falls back', async () => {
    const { policy, clock } = setup({
      classify: (e) => ((e as Error).message === 'fatal' ? 'permanent' : undefined),
    });
    const fatal = new Error('fatal');
    const s = script(clock, [new Error('odd'), fatal]);
    const result = capture(policy.execute(s.fn));
    await clock.runAll();
    expect(result.error).toBe(fatal);
    expect(s.calls).toHaveLength(2);
  });

  it('emits retry, success and giveUp events', async () => {
    const { policy, clock } = setup({ maxRetries: 1 });
    const seen: string[] = [];
    policy.on('retry', ({ attempt, delay }) => seen.push(`retry ${attempt} in ${delay}`));
    policy.on('success', ({ attempts }) => seen.push(`success ${attempts}`));
    const off = policy.on('giveUp', ({ attempts, reason }) => seen.push(`giveUp ${attempts} ${reason}`));
    capture(policy.execute(script(clock, [httpError(503)]).fn));
    await clock.runAll();
    capture(policy.execute(script(clock, [httpError(503), httpError(503)]).fn));
    await clock.runAll();
    off();
    capture(policy.execute(script(clock, [httpError(404)]).fn));
    await clock.runAll();
    expect(seen).toEqual(['retry 2 in 1000', 'success 2', 'retry 2 in 1000', 'giveUp 2 max-retries']);
  });
});

describe('retry: composition with a breaker', () => {
  it('stops retrying once the breaker opens', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ failureThreshold: 2, timeout: '1m', clock });
    const policy = retry({ maxRetries: 5, jitter: 'none', baseDelay: 10, clock });
    let calls = 0;
    const result = capture(
      policy.execute(() =>
        breaker.execute(() => {
          calls++;
          return Promise.reject(httpError(503));
        }),
      ),
    );
    await clock.runAll();
    expect(calls).toBe(2);
    expect(BrokenCircuitError.is(result.error)).toBe(true);
  });
});

describe('retry: options', () => {
  it('uses the seed defaults', () => {
    const policy = retry();
    expect(policy.maxRetries).toBe(3);
    expect(policy.backoff).toEqual({
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      backoffFactor: 2,
      jitter: 'full',
      jitterRatio: 0.1,
    });
    expect(policy.maxRetryAfterMs).toBe(60_000);
  });

  it.each([
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ maxRetries: 1.5 }, 'maxRetries'],
    [{ baseDelay: 5000, maxDelay: 1000 }, 'baseDelay'],
    [{ backoffFactor: 0.5 }, 'backoffFactor'],
    [{ backoffFactor: Number.NaN }, 'backoffFactor'],
    [{ backoffFactor: Number.POSITIVE_INFINITY }, 'backoffFactor'],
    [{ jitter: 'some' }, 'jitter'],
    [{ jitterRatio: 2 }, 'jitterRatio'],
    [{ maxDelay: Number.NaN }, 'maxDelay'],
    [{ budget: { capacity: 0 } }, 'budget.capacity'],
  ])('rejects %j naming %s', (options, path) => {
    let error: unknown;
    try {
      retry(options as RetryOptions);
    } catch (e) {
      error = e;
    }
    expect(ConfigError.is(error)).toBe(true);
    expect((error as ConfigError).path).toBe(path);
  });
});

import { describe, expect, it } from 'vitest';
import { BrokenCircuitError } from '../../src/errors/broken-circuit-error.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { TimeoutError } from '../../src/errors/timeout-error.js';
import { type CircuitBreakerOptions, circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, deferred, traceOn } from './helpers.js';

const boom = () => Promise.reject(new Error('boom'));
const ok = () => Promise.resolve('ok');

function setup(options: CircuitBreakerOptions = {}) {
  const clock = new ManualClock(1_000);
  const trace = traceOn(clock);
  const breaker = circuitBreaker({
    failureThreshold: 3,
    successThreshold: 2,
    timeout: '10s',
    maxConcurrentCalls: 2,
    name: 'llm',
    clock,
    trace,
    ...options,
  });
  return { clock, trace, breaker };
}

async function fail(breaker: ReturnType<typeof setup>['breaker'], times: number) {
  for (let i = 0; i < times; i++) await expect(breaker.execute(boom)).rejects.toThrow('boom');
}

describe('circuitBreaker: closed state', () => {
  it('passes results and errors through while closed', async () => {
    const { breaker } = setup();
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await expect(breaker.execute(() => 42)).resolves.toBe(42);
    await expect(
      breaker.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(breaker.state).toBe('closed');
  });

  it('opens on exactly the failureThreshold-th consecutive failure', async () => {
    const { breaker } = setup();
    await fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().consecutiveFailures).toBe(2);
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('a success resets the consecutive count', async () => {
    const { breaker } = setup();
    await fail(breaker, 2);
    await breaker.execute(ok);
    expect(breaker.metrics().consecutiveFailures).toBe(0);
    await fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('a failureThreshold of 1 opens on the first failure', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('passes the caller signal (or a never-aborted one) to fn', async () => {
    const { breaker } = setup();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    await breaker.execute((signal) => {
      seen = signal;
    }, controller.signal);
    expect(seen).toBe(controller.signal);
    await breaker.execute((signal) => {
      seen = signal;
    });
    expect(seen?.aborted).toBe(false);
  });

  it('rejects with the abort reason, without admitting, when the signal is already aborted', async () => {
    const { breaker } = setup();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    let calls = 0;
    await expect(breaker.execute(() => calls++, controller.signal)).rejects.toThrow('gone');
    expect(calls).toBe(0);
    expect(breaker.metrics().admitted).toBe(0);
  });
});

describe('circuitBreaker: open state', () => {
  it('rejects with BrokenCircuitError without calling fn', async () => {
    const { breaker } = setup();
    await fail(breaker, 3);
    let calls = 0;
    const error = await breaker.execute(() => calls++).catch((e: unknown) => e);
    expect(BrokenCircuitError.is(error)).toBe(true);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect((error as BrokenCircuitError).state).toBe('open');
    expect((error as BrokenCircuitError).source).toBe('llm');
    expect(calls).toBe(0);
    expect(breaker.metrics().rejected).toBe(1);
  });

  it('is still open at openedAt + timeout - 1 and half-open at exactly openedAt + timeout', async () => {
    const { breaker, clock, trace } = setup();
    await clock.advance(500);
    await fail(breaker, 3);
    const openedAt = breaker.metrics().openedAt!;
    expect(openedAt).toBe(1_500);
    expect(breaker.metrics().halfOpenAt).toBe(11_500);
    await clock.advanceTo(openedAt + 10_000 - 1);
    expect(breaker.state).toBe('open');
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(BrokenCircuitError);
    await clock.advance(1);
    const halfOpen = trace.ofKind('breaker.state').find((e) => e.data?.to === 'half-open');
    expect(halfOpen?.t).toBe(openedAt + 10_000);
    expect(halfOpen?.data).toEqual({ from: 'open', to: 'half-open', reason: 'timeout' });
    expect(breaker.state).toBe('half-open');
  });

  it('transitions eagerly via a clock timer (no call needed)', async () => {
    const { breaker, clock } = setup();
    await fail(breaker, 3);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt).toBe(11_000);
    const changes: string[] = [];
    breaker.on('stateChange', ({ to }) => changes.push(to));
    await clock.advance(10_000);
    expect(changes).toEqual(['half-open']);
  });
  it('half-opens at exactly openedAt + timeout even if the clock timer fires late', async () => {
    let now = 0;
    const lateTimers = { now: () => now, setTimer: () => ({ cancel() {} }), sleep: () => Promise.resolve() };
    const breaker = circuitBreaker({ failureThreshold: 1, timeout: 100, clock: lateTimers });
    await breaker.execute(boom).catch(() => {});
    now = 99;
    expect(breaker.state).toBe('open');
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(BrokenCircuitError);
    now = 100;
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.metrics().probeSuccesses).toBe(1);
  });
});

describe('circuitBreaker: half-open state', () => {
  async function halfOpen(options: CircuitBreakerOptions = {}) {
    const s = setup(options);
    await fail(s.breaker, 3);
    await s.clock.advance(10_000);
    expect(s.breaker.state).toBe('half-open');
    return s;
  }

  it('admits maxConcurrentCalls probes at once and rejects the next', async () => {
    const { breaker, clock } = await halfOpen();
    const a = deferred<string>();
    const b = deferred<string>();
    const p1 = capture(breaker.execute(() => a.promise));
    const p2 = capture(breaker.execute(() => b.promise));
    let third = 0;
    const error = await breaker.execute(() => third++).catch((e: unknown) => e);
    expect(BrokenCircuitError.is(error) && error.state).toBe('half-open');
    expect(third).toBe(0);
    expect(breaker.metrics().probesInFlight).toBe(2);
    a.resolve('a');
    await clock.settle();
    expect(p1.settled).toBe(true);
    // One slot is free again: the next probe is admitted.
    const c = deferred<string>();
    const p3 = capture(breaker.execute(() => c.promise));
    expect(breaker.metrics().probesInFlight).toBe(2);
    b.resolve('b');
    c.resolve('c');
    await clock.settle();
    expect(p2.value).toBe('b');
    expect(p3.value).toBe('c');
  });

  it('halfOpenMaxCalls is an alias of maxConcurrentCalls', async () => {
    const { breaker } = await halfOpen({ maxConcurrentCalls: undefined, halfOpenMaxCalls: 1 });
    expect(breaker.maxConcurrentCalls).toBe(1);
    const a = deferred<void>();
    const p = capture(breaker.execute(() => a.promise));
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(BrokenCircuitError);
    a.resolve();
    await new ManualClock().settle();
    expect(p.settled).toBe(true);
  });

  it('closes after exactly successThreshold consecutive probe successes', async () => {
    const { breaker } = await halfOpen();
    await breaker.execute(ok);
    expect(breaker.state).toBe('half-open');
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().consecutiveFailures).toBe(0);
  });

  it('any probe failure reopens and restarts the timeout', async () => {
    const { breaker, clock } = await halfOpen();
    await breaker.execute(ok);
    await clock.advance(250);
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
    const reopenedAt = clock.now();
    expect(breaker.metrics().openedAt).toBe(reopenedAt);
    await clock.advance(9_999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half-open');
    // Successes counted before the failure are gone: two more are needed.
    await breaker.execute(ok);
    expect(breaker.state).toBe('half-open');
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
  });

  it('maxWaitInHalfOpen reopens a breaker stuck in half-open', async () => {
    const { breaker, clock, trace } = await halfOpen({ maxWaitInHalfOpen: '5s' });
    const hung = deferred<void>();
    const probe = capture(breaker.execute(() => hung.promise));
    await clock.advance(4_999);
    expect(breaker.state).toBe('half-open');
    await clock.advance(1);
    expect(breaker.state).toBe('open');
    expect(trace.ofKind('breaker.state').at(-1)?.data).toEqual({
      from: 'half-open',
      to: 'open',
      reason: 'half-open-max-wait',
    });
    hung.resolve();
    await clock.settle();
    expect(probe.settled).toBe(true);
    expect(breaker.state).toBe('open');
    expect(breaker.metrics().late).toBe(1);
  });
});

describe('circuitBreaker: late results and generations', () => {
  it('a call admitted while closed that fails after the breaker opened changes no state', async () => {
    const { breaker, trace } = setup();
    const slow = deferred<string>();
    const pending = capture(breaker.execute(() => slow.promise));
    await fail(breaker, 3);
    expect(breaker.state).toBe('open');
    slow.reject(new Error('late boom'));
    await new ManualClock().settle();
    expect(pending.error).toBeInstanceOf(Error);
    expect(breaker.state).toBe('open');
    const late = trace.ofKind('breaker.late');
    expect(late).toHaveLength(1);
    expect(late[0]!.data).toEqual({
      outcome: 'failure',
      admittedIn: 'closed',
      phase: 0,
      error: { name: 'Error', message: 'late boom' },
    });
    expect(breaker.metrics().failures).toBe(3);
  });

  it('a late success does not count as a half-open probe success', async () => {
    const { breaker, clock } = setup();
    const slow = deferred<string>();
    const pending = capture(breaker.execute(() => slow.promise));
    await fail(breaker, 3);
    await clock.advance(10_000);
    expect(breaker.state).toBe('half-open');
    slow.resolve('late');
    await clock.settle();
    expect(pending.value).toBe('late');
    expect(breaker.metrics().probeSuccesses).toBe(0);
    expect(breaker.metrics().late).toBe(1);
  });

  it('results of calls admitted before reset() are late', async () => {
    const { breaker } = setup();
    const slow = deferred<string>();
    const pending = capture(breaker.execute(() => slow.promise));
    await fail(breaker, 2);
    breaker.reset();
    slow.reject(new Error('x'));
    await new ManualClock().settle();
    expect(pending.settled).toBe(true);
    expect(breaker.metrics().consecutiveFailures).toBe(0);
  });
});

describe('circuitBreaker: what counts as a failure', () => {
  it('isFailure decides; an error it rejects counts as a success', async () => {
    const { breaker } = setup({ isFailure: (e) => (e as { status?: number }).status !== 404 });
    const notFound = Object.assign(new Error('nf'), { status: 404 });
    await fail(breaker, 2);
    await expect(breaker.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
    expect(breaker.metrics().consecutiveFailures).toBe(0);
    expect(breaker.state).toBe('closed');
  });

  it('TimeoutError counts as a failure', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await expect(breaker.execute(() => Promise.reject(new TimeoutError('t', 10)))).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(breaker.state).toBe('open');
  });

  it('a nested BrokenCircuitError is ignored by default and counted with countBrokenCircuit', async () => {
    const nested = new BrokenCircuitError('inner', 'open');
    const a = setup({ failureThreshold: 1 });
    await expect(a.breaker.execute(() => Promise.reject(nested))).rejects.toBe(nested);
    expect(a.breaker.state).toBe('closed');
    expect(a.breaker.metrics().ignored).toBe(1);
    const b = setup({ failureThreshold: 1, countBrokenCircuit: true });
    await expect(b.breaker.execute(() => Promise.reject(nested))).rejects.toBe(nested);
    expect(b.breaker.state).toBe('open');
  });

  it('an ignored half-open probe frees its slot without closing or reopening', async () => {
    const { breaker, clock } = setup({ maxConcurrentCalls: 1 });
    await fail(breaker, 3);
    await clock.advance(10_000);
    await expect(
      breaker.execute(() => Promise.reject(new BrokenCircuitError('inner', 'open'))),
    ).rejects.toThrow();
    expect(breaker.state).toBe('half-open');
    expect(breaker.metrics().probesInFlight).toBe(0);
  });
});

describe('circuitBreaker: isolate and reset', () => {
  it('isolate() rejects every call and never half-opens by itself', async () => {
    const { breaker, clock } = setup();
    const handle = breaker.isolate();
    expect(breaker.state).toBe('isolated');
    const error = await breaker.execute(ok).catch((e: unknown) => e);
    expect((error as BrokenCircuitError).state).toBe('isolated');
    await clock.advance(1_000_000);
    expect(breaker.state).toBe('isolated');
    expect(clock.pendingTimers).toBe(0);
    handle.release();
    expect(breaker.state).toBe('closed');
  });

  it('isolating an open breaker cancels its half-open timer', async () => {
    const { breaker, clock } = setup();
    await fail(breaker, 3);
    breaker.isolate();
    await clock.advance(20_000);
    expect(breaker.state).toBe('isolated');
  });

  it('a stale isolation handle does nothing after reset', async () => {
    const { breaker } = setup();
    const handle = breaker.isolate();
    breaker.reset();
    await fail(breaker, 3);
    handle.release();
    expect(breaker.state).toBe('open');
  });

  it('reset() closes an open breaker and clears the counters', async () => {
    const { breaker, clock } = setup();
    await fail(breaker, 3);
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(clock.pendingTimers).toBe(0);
    await fail(breaker, 2);
    expect(breaker.state).toBe('closed');
  });
});

describe('circuitBreaker: events, metrics and trace', () => {
  it('emits stateChange, success, failure and rejected; unsubscribe stops delivery', async () => {
    const { breaker, clock } = setup({ failureThreshold: 1, successThreshold: 1 });
    const seen: string[] = [];
    const offs = [
      breaker.on('stateChange', ({ from, to, reason }) => seen.push(`${from}->${to}:${reason}`)),
      breaker.on('success', ({ state }) => seen.push(`success@${state}`)),
      breaker.on('failure', ({ state, error }) => seen.push(`failure@${state}:${(error as Error).message}`)),
      breaker.on('rejected', ({ state }) => seen.push(`rejected@${state}`)),
    ];
    await breaker.execute(ok);
    await fail(breaker, 1);
    await breaker.execute(ok).catch(() => {});
    await clock.advance(10_000);
    await breaker.execute(ok);
    expect(seen).toEqual([
      'success@closed',
      'failure@closed:boom',
      'closed->open:failure-threshold',
      'rejected@open',
      'open->half-open:timeout',
      'success@half-open',
      'half-open->closed:probe-successes',
    ]);
    for (const off of offs) off();
    await breaker.execute(ok);
    expect(seen).toHaveLength(7);
  });

  it('a throwing listener does not break the breaker', async () => {
    const { breaker, trace } = setup({ failureThreshold: 1 });
    breaker.on('stateChange', () => {
      throw new Error('listener bug');
    });
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(trace.ofKind('breaker.listener-error')).toHaveLength(1);
  });

  it('traces every admission, outcome and transition with plain data', async () => {
    const { breaker, clock, trace } = setup({ failureThreshold: 1, successThreshold: 1 });
    await breaker.execute(ok);
    await fail(breaker, 1);
    await breaker.execute(ok).catch(() => {});
    await clock.advance(10_000);
    await breaker.execute(ok);
    expect(trace.events.map((e) => [e.t, e.kind, e.actor, e.data])).toEqual([
      [
        1_000,
        'breaker.declared',
        'llm',
        {
          failureThreshold: 1,
          successThreshold: 1,
          timeout: 10_000,
          maxConcurrentCalls: 2,
          mode: 'consecutive',
          halfOpen: 'eager',
        },
      ],
      [1_000, 'breaker.admitted', 'llm', { state: 'closed', phase: 0 }],
      [1_000, 'breaker.success', 'llm', { state: 'closed', phase: 0 }],
      [1_000, 'breaker.admitted', 'llm', { state: 'closed', phase: 0 }],
      [
        1_000,
        'breaker.failure',
        'llm',
        { state: 'closed', phase: 0, error: { name: 'Error', message: 'boom' }, consecutiveFailures: 1 },
      ],
      [1_000, 'breaker.state', 'llm', { from: 'closed', to: 'open', reason: 'failure-threshold' }],
      [1_000, 'breaker.rejected', 'llm', { state: 'open' }],
      [11_000, 'breaker.state', 'llm', { from: 'open', to: 'half-open', reason: 'timeout' }],
      [11_000, 'breaker.admitted', 'llm', { state: 'half-open', phase: 2, probe: 1 }],
      [11_000, 'breaker.success', 'llm', { state: 'half-open', phase: 2 }],
      [11_000, 'breaker.state', 'llm', { from: 'half-open', to: 'closed', reason: 'probe-successes' }],
    ]);
    expect(JSON.parse(JSON.stringify(trace.events))).toEqual(trace.events);
  });

  it('metrics() reports counts and times', async () => {
    const { breaker, clock } = setup();
    await breaker.execute(ok);
    await fail(breaker, 3);
    await breaker.execute(ok).catch(() => {});
    expect(breaker.metrics()).toMatchObject({
      name: 'llm',
      state: 'open',
      admitted: 4,
      rejected: 1,
      successes: 1,
      failures: 3,
      consecutiveFailures: 3,
      openedAt: clock.now(),
      halfOpenAt: clock.now() + 10_000,
      inFlight: 0,
      stateChanges: 1,
    });
  });
});

describe('circuitBreaker: rate mode (resilience4j)', () => {
  it('count window: opens when failures / calls >= threshold once minimumCalls are recorded', async () => {
    const { breaker } = setup({
      mode: 'rate',
      window: { type: 'count', size: 4 },
      failureRateThreshold: 0.5,
      minimumCalls: 4,
    });
    await fail(breaker, 1);
    await breaker.execute(ok);
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    // 4th call: 2 failures of 4 = 0.5 >= 0.5 → open (inclusive).
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('count window: below the threshold stays closed and old outcomes slide out', async () => {
    const { breaker } = setup({
      mode: 'rate',
      window: { type: 'count', size: 4 },
      failureRateThreshold: 0.75,
      minimumCalls: 4,
    });
    await fail(breaker, 2);
    await breaker.execute(ok);
    await breaker.execute(ok);
    expect(breaker.metrics().failureRate).toBe(0.5);
    await breaker.execute(ok); // first failure slides out
    expect(breaker.metrics().failureRate).toBe(0.25);
    expect(breaker.state).toBe('closed');
  });

  it('a success can open the breaker when it completes minimumCalls with a high rate', async () => {
    const { breaker } = setup({
      mode: 'rate',
      window: { type: 'count', size: 10 },
      failureRateThreshold: 0.5,
      minimumCalls: 4,
    });
    await fail(breaker, 3);
    expect(breaker.state).toBe('closed');
    await breaker.execute(ok);
    expect(breaker.state).toBe('open');
  });

  it('time window: only calls in (now - duration, now] count', async () => {
    const { breaker, clock } = setup({
      mode: 'rate',
      window: { type: 'time', duration: '10s' },
      failureRateThreshold: 1,
      minimumCalls: 2,
    });
    await fail(breaker, 1);
    await clock.advance(10_000);
    // The first failure is exactly duration old: out of the window.
    await fail(breaker, 1);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().windowCalls).toBe(1);
    await clock.advance(9_999);
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('minimumCalls defaults to the count window size', () => {
    const { breaker } = setup({ mode: 'rate', window: { type: 'count', size: 7 } });
    expect(breaker.minimumCalls).toBe(7);
  });
});

describe('circuitBreaker: options', () => {
  it('uses the seed defaults', () => {
    const breaker = circuitBreaker();
    expect([
      breaker.failureThreshold,
      breaker.successThreshold,
      breaker.timeoutMs,
      breaker.maxConcurrentCalls,
    ]).toEqual([5, 3, 30_000, 2]);
    expect(breaker.name).toBe('breaker');
  });

  it.each([
    [{ failureThreshold: 0 }, 'failureThreshold'],
    [{ failureThreshold: 1.5 }, 'failureThreshold'],
    [{ successThreshold: 0 }, 'successThreshold'],
    [{ maxConcurrentCalls: 0 }, 'maxConcurrentCalls'],
    [{ timeout: -1 }, 'timeout'],
    [{ timeout: 'soon' }, 'timeout'],
    [{ failureRateThreshold: 1.01 }, 'failureRateThreshold'],
    [{ failureRateThreshold: Number.NaN }, 'failureRateThreshold'],
    [{ maxConcurrentCalls: 2, halfOpenMaxCalls: 3 }, 'halfOpenMaxCalls'],
    [{ mode: 'sometimes' }, 'mode'],
    [{ mode: 'rate', window: { type: 'count', size: 0 } }, 'window.size'],
    [{ isFailure: 'yes' }, 'isFailure'],
  ])('rejects %j naming %s', (options, path) => {
    const error = (() => {
      try {
        circuitBreaker(options as CircuitBreakerOptions);
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigError.is(error)).toBe(true);
    expect((error as ConfigError).path).toBe(path);
  });
});

import { describe, expect, it } from 'vitest';
import { invariants } from '../../src/properties/invariants/index.js';
import { Trace } from '../../src/trace/trace.js';

/** A hand-written trace: `at(t)` moves the clock, `e(kind, actor, data)` records. */
function script() {
  let now = 0;
  const trace = new Trace(() => now);
  return {
    trace,
    at(t: number) {
      now = t;
    },
    e(kind: string, actor: string | undefined, data?: Record<string, unknown>) {
      trace.record(kind, actor, data);
    },
  };
}

const CONFIG = {
  failureThreshold: 2,
  successThreshold: 2,
  timeout: 1000,
  maxConcurrentCalls: 1,
  mode: 'consecutive',
  halfOpen: 'lazy',
};

function breakerTrace(edit: (s: ReturnType<typeof script>) => void) {
  const s = script();
  s.e('breaker.declared', 'b', CONFIG);
  edit(s);
  return invariants.breaker().check(s.trace);
}

function openIt(s: ReturnType<typeof script>) {
  for (let i = 0; i < 2; i++) {
    s.e('breaker.admitted', 'b', { state: 'closed', phase: 0 });
    s.e('breaker.failure', 'b', { state: 'closed', phase: 0 });
  }
  s.e('breaker.state', 'b', { from: 'closed', to: 'open', reason: 'failure-threshold' });
}

describe('invariants.breaker()', () => {
  it('passes a legal history', () => {
    const found = breakerTrace((s) => {
      openIt(s);
      s.e('breaker.rejected', 'b', { state: 'open' });
      s.at(1000);
      s.e('breaker.state', 'b', { from: 'open', to: 'half-open', reason: 'timeout' });
      for (let i = 0; i < 2; i++) {
        s.e('breaker.admitted', 'b', { state: 'half-open', phase: 2 });
        s.e('breaker.success', 'b', { state: 'half-open', phase: 2 });
      }
      s.e('breaker.state', 'b', { from: 'half-open', to: 'closed', reason: 'probe-successes' });
    });
    expect(found).toEqual([]);
  });

  it('flags opening one failure early, with expected and actual', () => {
    const [v] = breakerTrace((s) => {
      s.e('breaker.admitted', 'b', { state: 'closed', phase: 0 });
      s.e('breaker.failure', 'b', { state: 'closed', phase: 0 });
      s.e('breaker.state', 'b', { from: 'closed', to: 'open', reason: 'failure-threshold' });
    });
    expect(v).toMatchObject({
      invariant: 'breaker',
      expected: 2,
      actual: 1,
      event: { seq: 3, kind: 'breaker.state' },
    });
  });

  it('flags not opening at the threshold', () => {
    const [v] = breakerTrace((s) => {
      for (let i = 0; i < 3; i++) {
        s.e('breaker.admitted', 'b', { state: 'closed', phase: 0 });
        s.e('breaker.failure', 'b', { state: 'closed', phase: 0 });
      }
    });
    expect(v?.message).toContain('must open');
  });

  it('flags an admission while open before openedAt + timeout', () => {
    const [v] = breakerTrace((s) => {
      openIt(s);
      s.at(999);
      s.e('breaker.admitted', 'b', { state: 'half-open', phase: 1 });
    });
    expect(v?.message).toContain('admitted a call while open');
  });

  it('flags a rejection at or after openedAt + timeout (never half-opens)', () => {
    const [v] = breakerTrace((s) => {
      openIt(s);
      s.at(1000);
      s.e('breaker.rejected', 'b', { state: 'open' });
    });
    expect(v?.message).toContain('never half-opened');
  });

  it('flags too many probes in flight', () => {
    const [v] = breakerTrace((s) => {
      openIt(s);
      s.at(1500);
      s.e('breaker.state', 'b', { from: 'open', to: 'half-open', reason: 'timeout' });
      s.e('breaker.admitted', 'b', { state: 'half-open', phase: 2 });
      s.e('breaker.admitted', 'b', { state: 'half-open', phase: 2 });
    });
    expect(v).toMatchObject({ expected: '<= 1 probes in flight', actual: 2 });
  });

  it('flags closing on the first probe success', () => {
    const [v] = breakerTrace((s) => {
      openIt(s);
      s.at(1000);
      s.e('breaker.state', 'b', { from: 'open', to: 'half-open', reason: 'timeout' });
      s.e('breaker.admitted', 'b', { state: 'half-open', phase: 2 });
      s.e('breaker.success', 'b', { state: 'half-open', phase: 2 });
      s.e('breaker.state', 'b', { from: 'half-open', to: 'closed', reason: 'probe-successes' });
    });
    expect(v).toMatchObject({ expected: 2, actual: 1 });
  });

  it('flags a late result that changes state, and accepts one that does not', () => {
    const late = (reopen: boolean) =>
      breakerTrace((s) => {
        s.e('breaker.admitted', 'b', { state: 'closed', phase: 0 }); // slow call
        openIt(s);
        s.at(1000);
        s.e('breaker.state', 'b', { from: 'open', to: 'half-open', reason: 'timeout' });
        s.e('breaker.late', 'b', { outcome: 'failure', admittedIn: 'closed', phase: 0 });
        if (reopen) s.e('breaker.state', 'b', { from: 'half-open', to: 'open', reason: 'probe-failure' });
      });
    expect(late(false)).toEqual([]);
    expect(late(true)[0]?.message).toContain('late result');
  });

  it('ignores breakers that declared nothing and judges only the named one', () => {
    const s = script();
    s.e('breaker.state', 'x', { from: 'closed', to: 'open' });
    s.e('breaker.declared', 'b', CONFIG);
    s.e('breaker.rejected', 'b', { state: 'closed' });
    expect(invariants.breaker({ name: 'x' }).check(s.trace)).toEqual([]);
    expect(invariants.breaker().check(s.trace)).toHaveLength(1);
    expect(() => invariants.breaker({ nmae: 'b' } as never)).toThrow(/nmae/);
  });
});

const RETRY = {
  maxRetries: 2,
  baseDelay: 100,
  maxDelay: 1000,
  backoffFactor: 2,
  jitter: 'none',
  jitterRatio: 0.1,
};

function retryTrace(edit: (s: ReturnType<typeof script>) => void, config: Record<string, unknown> = RETRY) {
  const s = script();
  s.e('retry.declared', 'r', config);
  s.e('retry.attempt', 'r', { call: 1, attempt: 1 });
  edit(s);
  return invariants.retry().check(s.trace);
}

describe('invariants.retry()', () => {
  it('passes exact backoff', () => {
    const found = retryTrace((s) => {
      s.e('retry.failed', 'r', { call: 1, attempt: 1, class: 'transient' });
      s.at(100);
      s.e('retry.attempt', 'r', { call: 1, attempt: 2 });
      s.e('retry.failed', 'r', { call: 1, attempt: 2, class: 'transient' });
      s.at(300);
      s.e('retry.attempt', 'r', { call: 1, attempt: 3 });
    });
    expect(found).toEqual([]);
  });

  it('flags a retry of a permanent error', () => {
    const [v] = retryTrace((s) => {
      s.e('retry.failed', 'r', { call: 1, attempt: 1, class: 'permanent', reason: 'client-error' });
      s.at(100);
      s.e('retry.attempt', 'r', { call: 1, attempt: 2 });
    });
    expect(v?.message).toContain('permanent');
  });

  it('flags one retry too many', () => {
    const [v] = retryTrace((s) => {
      for (let n = 1; n <= 3; n++) {
        s.e('retry.failed', 'r', { call: 1, attempt: n, class: 'transient' });
        s.at(100 * 2 ** n - 100);
        s.e('retry.attempt', 'r', { call: 1, attempt: n + 1 });
      }
    });
    expect(v).toMatchObject({ expected: '<= 3 attempts', actual: 4 });
  });

  it('flags a delay above the cap and one under Retry-After', () => {
    const over = retryTrace(
      (s) => {
        s.e('retry.failed', 'r', { call: 1, attempt: 1, class: 'transient' });
        s.at(1001);
        s.e('retry.attempt', 'r', { call: 1, attempt: 2 });
      },
      { ...RETRY, jitter: 'full', baseDelay: 1000 },
    );
    expect(over[0]?.message).toContain('maxDelay is 1000');
    const early = retryTrace((s) => {
      s.e('retry.failed', 'r', { call: 1, attempt: 1, class: 'rate-limited', retryAfter: 5000 });
      s.at(100);
      s.e('retry.attempt', 'r', { call: 1, attempt: 2 });
    });
    expect(early[0]).toMatchObject({ expected: '>= 5000 ms', actual: 100 });
  });

  it('flags an attempt after the caller aborted', () => {
    const [v] = retryTrace((s) => {
      s.e('retry.failed', 'r', { call: 1, attempt: 1, class: 'transient' });
      s.at(50);
      s.e('retry.abort', 'r', { call: 1 });
      s.at(100);
      s.e('retry.attempt', 'r', { call: 1, attempt: 2 });
    });
    expect(v?.message).toContain('aborted');
  });

  it('flags a traced delay that differs from the slept one', () => {
    const [v] = retryTrace((s) => {
      s.e('retry.failed', 'r', { call: 1, attempt: 1, class: 'transient' });
      s.e('retry.scheduled', 'r', { call: 1, attempt: 2, delay: 100 });
      s.at(150);
      s.e('retry.attempt', 'r', { call: 1, attempt: 2 });
    });
    expect(v).toMatchObject({ expected: 100, actual: 150 });
  });
});

describe('the other invariants', () => {
  it('accounting: a double end and a missing end', () => {
    const s = script();
    s.e('request.start', 'w', { i: 0 });
    s.e('request.end', 'w', { i: 0 });
    s.e('request.end', 'w', { i: 0 });
    expect(invariants.accounting().check(s.trace)[0]?.message).toContain('second time');
    const t = script();
    t.e('service.call', 'svc', { call: 0 });
    t.e('sim.end', undefined, { outcome: 'ok' });
    expect(invariants.accounting().check(t.trace)[0]?.message).toContain('never ended');
  });

  it('timeout: a caller that waits past the deadline (aggressive)', () => {
    const s = script();
    s.e('timeout.declared', 't', { timeout: 100, mode: 'aggressive' });
    s.e('timeout.started', 't', { call: 1, timeout: 100 });
    s.at(150);
    s.e('timeout.end', 't', { call: 1, outcome: 'error' });
    expect(invariants.timeout().check(s.trace)[0]).toMatchObject({ expected: '<= 100 ms', actual: 150 });
  });

  it('liveness: a breaker still open after the heal', () => {
    const s = script();
    s.e('breaker.state', 'b', { from: 'closed', to: 'open' });
    s.at(10);
    s.e('sim.heal', undefined);
    s.at(500);
    s.e('sim.end', undefined, { outcome: 'ok' });
    expect(invariants.liveness.breakerRecloses().check(s.trace)[0]?.message).toContain('was open at the end');
    s.at(600);
    const late = script();
    late.e('sim.heal', undefined);
    late.e('breaker.state', 'b', { from: 'closed', to: 'open' });
    late.at(60_000);
    late.e('breaker.state', 'b', { from: 'half-open', to: 'closed' });
    expect(invariants.liveness.breakerRecloses({ within: '1m' }).check(late.trace)).toEqual([]);
    expect(invariants.liveness.breakerRecloses({ within: '59s' }).check(late.trace)).toHaveLength(1);
  });

  it('noRetryStorm, noLeaks, noSilentFailures, define', () => {
    const s = script();
    s.e('retry.attempt', 'r', { call: 1, attempt: 1 });
    s.e('retry.attempt', 'r', { call: 1, attempt: 2 });
    s.e('retry.attempt', 'r', { call: 1, attempt: 3 });
    expect(invariants.noRetryStorm({ maxAmplification: 3 }).check(s.trace)).toEqual([]);
    expect(invariants.noRetryStorm({ maxAmplification: 2 }).check(s.trace)[0]?.actual).toBe(3);
    expect(() => invariants.noRetryStorm({} as never)).toThrow(/maxAmplification/);

    const leak = script();
    leak.e('sim.end', undefined, { outcome: 'ok', pendingTimers: 2, pendingTasks: 0 });
    expect(invariants.noLeaks().check(leak.trace)[0]?.message).toContain('2 timer(s)');

    const silent = script();
    silent.e('service.call', 'svc', { call: 0 });
    silent.e('fault.injected', 'svc', { call: 0, fault: 'errors' });
    silent.e('service.end', 'svc', { call: 0, outcome: 'error' });
    expect(invariants.noSilentFailures().check(silent.trace)).toHaveLength(1);
    silent.e('agent.fallback', 'a', {});
    expect(invariants.noSilentFailures().check(silent.trace)).toEqual([]);

    const mine = invariants.define('no user errors', (trace) =>
      trace
        .ofKind('user.error')
        .map((e) => ({ message: 'saw an error', event: { seq: e.seq, t: e.t, kind: e.kind } })),
    );
    s.e('user.error', undefined);
    expect(mine.check(s.trace)).toEqual([
      { invariant: 'no user errors', message: 'saw an error', event: { seq: 3, t: 0, kind: 'user.error' } },
    ]);
    expect(invariants.define('x', () => false).check(s.trace)).toHaveLength(1);
    expect(invariants.define('x', () => 'why').check(s.trace)[0]?.message).toBe('why');
    expect(invariants.all().map((i) => i.name)).toEqual([
      'breaker',
      'retry',
      'timeout',
      'accounting',
      'liveness.breakerRecloses',
      'bulkhead',
      'rateLimiter',
      'loadBalancer',
      'hedge',
    ]);
  });
});

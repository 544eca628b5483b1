import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { invariants } from '../../src/properties/invariants/index.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';
import { Trace } from '../../src/trace/trace.js';

/*
 * invariants.breaker() for failure-rate breakers (a declared window) and for
 * breakers on a whole-millisecond clock, on hand-written traces; then
 * faultline's own rate-mode breaker, which now declares its window, over seeds.
 */

function script(declared: Record<string, unknown>) {
  let now = 0;
  const trace = new Trace(() => now);
  const e = (kind: string, data?: Record<string, unknown>) => trace.record(kind, 'b', data);
  e('breaker.declared', {
    failureThreshold: 0,
    successThreshold: 1,
    timeout: 1000,
    maxConcurrentCalls: 1,
    mode: 'rate',
    halfOpen: 'lazy',
    ...declared,
  });
  let phase = 0;
  return {
    at(t: number) {
      now = t;
    },
    call(outcome: 'success' | 'failure') {
      e('breaker.admitted', { state: 'closed', phase });
      e(`breaker.${outcome}`, { state: 'closed', phase });
    },
    reject() {
      e('breaker.rejected', { state: 'open' });
    },
    transition(from: string, to: string) {
      phase++;
      e('breaker.state', { from, to, reason: 'test' });
    },
    check: () => invariants.breaker().check(trace),
  };
}

const COUNT = { failureRateThreshold: 0.5, minimumCalls: 4, window: { type: 'count', size: 4 } };

describe('rate mode', () => {
  it('opens exactly when failures / calls reaches the threshold over minimumCalls (outcomes, count window, >=)', () => {
    const s = script(COUNT);
    for (const o of ['success', 'failure', 'success', 'failure'] as const) s.call(o);
    s.transition('closed', 'open');
    expect(s.check()).toEqual([]);
  });

  it('flags a breaker that stays closed when the rate requires opening', () => {
    const s = script(COUNT);
    for (const o of ['success', 'failure', 'success', 'failure', 'success'] as const) s.call(o);
    expect(s.check()[0]?.message).toMatch(
      /2 failure\(s\) in 4 call\(s\) reached failures \/ calls >= 0.5 \(minimumCalls 4\), so "b" must open, but "b" went on/,
    );
  });

  it('flags an opening below minimumCalls or below the rate', () => {
    const early = script(COUNT);
    for (const o of ['failure', 'failure', 'failure'] as const) early.call(o);
    early.transition('closed', 'open');
    expect(early.check()[0]?.message).toMatch(/opened with 3 failure\(s\) in 3 call\(s\) in its window/);
  });

  it('with > a rate equal to the threshold need not open (with >= it must: above)', () => {
    const strict = script({ ...COUNT, rateComparison: '>' });
    for (const o of ['success', 'failure', 'success', 'failure', 'success'] as const) strict.call(o);
    expect(strict.check()).toEqual([]);
  });

  it('fires counting: rejected calls count as calls, and the window outlives a close', () => {
    const s = script({
      failureRateThreshold: 0.5,
      minimumCalls: 1,
      window: { type: 'time', duration: 10_000 },
      rateComparison: '>',
      rateCounting: 'fires',
    });
    s.call('failure'); // 1 of 1: opens
    s.transition('closed', 'open');
    for (let i = 0; i < 3; i++) s.reject();
    s.at(1000);
    s.transition('open', 'half-open');
    s.call('success'); // the probe (admitted in half-open)
    s.transition('half-open', 'closed');
    s.call('failure'); // 2 failures in 6 fires: 33 %, must not open
    s.transition('closed', 'open');
    expect(s.check()[0]?.message).toMatch(/opened with 2 failure\(s\) in 6 call\(s\)/);
  });

  it('rolling buckets of unknown phase: opening and staying closed are both allowed when only some windows hold', () => {
    // 10 s in 10 buckets of 1 s: at t = 10.5 s the window starts somewhere in [0.5 s, 1.5 s].
    const declared = {
      failureRateThreshold: 0.5,
      minimumCalls: 3,
      window: { type: 'buckets', duration: 10_000, buckets: 10 },
      rateComparison: '>',
      rateCounting: 'fires',
    };
    const history = (s: ReturnType<typeof script>) => {
      s.at(1000);
      s.call('failure');
      s.at(10_500);
      s.call('success');
      s.call('failure'); // with the 1 s call: 2 failures in 3 fires (opens); without: 2 fires < minimumCalls
    };
    const opens = script(declared);
    history(opens);
    opens.transition('closed', 'open');
    expect(opens.check()).toEqual([]);
    const stays = script(declared);
    history(stays);
    stays.call('success');
    expect(stays.check()).toEqual([]);
    // at t = 12 s the 1 s call is out of every possible window: opening is flagged
    const late = script(declared);
    late.at(1000);
    late.call('failure');
    late.at(12_000);
    late.call('failure');
    late.call('failure');
    late.transition('closed', 'open');
    expect(late.check()[0]?.message).toMatch(/opened with 2 failure\(s\) in 2 call\(s\)/);
  });
});

describe('clock resolution and same-instant timers', () => {
  const consecutive = (extra: Record<string, unknown>) => {
    let now = 0;
    const trace = new Trace(() => now);
    const e = (kind: string, data?: Record<string, unknown>) => trace.record(kind, 'b', data);
    e('breaker.declared', {
      failureThreshold: 1,
      successThreshold: 1,
      timeout: 1000,
      maxConcurrentCalls: 1,
      mode: 'consecutive',
      ...extra,
    });
    now = 100.7;
    e('breaker.admitted', { state: 'closed', phase: 0 });
    e('breaker.failure', { state: 'closed', phase: 0 });
    e('breaker.state', { from: 'closed', to: 'open', reason: 'failure' });
    return { at: (t: number) => (now = t), e, check: () => invariants.breaker().check(trace) };
  };

  it('a Date.now() breaker (clockResolution 1) may half-open on whole milliseconds', () => {
    for (const [extra, violations] of [
      [{ halfOpen: 'lazy', clockResolution: 1 }, 0],
      [{ halfOpen: 'lazy' }, 1],
    ] as const) {
      const s = consecutive(extra);
      s.at(1100.2); // floor: 1100 − 100 = 1000 ms, due for the breaker; 0.5 ms early in exact time
      s.e('breaker.state', { from: 'open', to: 'half-open', reason: 'timeout' });
      expect(s.check(), JSON.stringify(extra)).toHaveLength(violations);
    }
  });

  it('an eager breaker may still reject at exactly openedAt + timeout (its timer not yet run); a lazy one may not', () => {
    for (const [halfOpen, violations] of [
      ['eager', 0],
      ['lazy', 1],
    ] as const) {
      const s = consecutive({ halfOpen });
      s.at(1100.7);
      s.e('breaker.rejected', { state: 'open' });
      expect(s.check(), halfOpen).toHaveLength(violations);
    }
  });
});

describe('faultline’s rate-mode breaker declares its window and is judged by it', () => {
  for (const window of [
    { type: 'count', size: 8 },
    { type: 'time', duration: '2s' },
  ] as const) {
    it(`${window.type} window`, async () => {
      let openings = 0;
      for (let seed = 1; seed <= 8; seed++) {
        const result = await simulate({ seed }, async (sim) => {
          const svc = sim.service('svc', {
            latency: '30ms',
            faults: [faults.errors({ rate: 0.45, status: 503 })],
            handle: () => 'ok',
          });
          const breaker = sim.breaker('b', {
            mode: 'rate',
            window,
            failureRateThreshold: 0.5,
            minimumCalls: 4,
            timeout: '500ms',
            successThreshold: 2,
          });
          const agent = async () => {
            for (let i = 0; i < 60; i++) {
              await breaker.execute(() => svc.call(i)).catch(() => {});
              await sim.sleep(40);
            }
          };
          await Promise.all([0, 1].map((k) => sim.spawn(`agent-${k}`, agent)));
        });
        expect(result.trace.ofKind('breaker.declared')[0]!.data.window).toEqual(
          window.type === 'count' ? window : { type: 'time', duration: 2000 },
        );
        openings += result.trace.ofKind('breaker.state').filter((e) => e.data.to === 'open').length;
        expect(invariants.breaker().check(result.trace), `seed ${seed}`).toEqual([]);
      }
      expect(openings).toBeGreaterThan(4);
    });
  }
});

/*
 * `samples` counting and the `ring` window (cockatiel's CountBreaker and
 * SamplingBreaker): every success and failure told to the breaker, late and
 * probe ones too, restarted at a probe's success; judged after failures only.
 */
describe('samples counting and the ring window', () => {
  function breaker(declared: Record<string, unknown>) {
    let now = 0;
    const trace = new Trace(() => now);
    const e = (kind: string, data?: Record<string, unknown>) => trace.record(kind, 'b', data);
    e('breaker.declared', {
      failureThreshold: 0,
      successThreshold: 1,
      timeout: 1000,
      maxConcurrentCalls: 1,
      mode: 'rate',
      halfOpen: 'lazy',
      clockResolution: 1,
      rateComparison: '>',
      rateCounting: 'samples',
      ...declared,
    });
    let phase = 0;
    let state = 'closed';
    return {
      at(t: number) {
        now = t;
      },
      /** Admits a call now; returns its outcome reporter. */
      admit() {
        const call = { state, phase };
        e('breaker.admitted', call);
        return (outcome: 'success' | 'failure', error?: Error) =>
          e(`breaker.${outcome}`, {
            ...call,
            ...(error ? { error: { name: error.name, message: error.message } } : {}),
          });
      },
      call(outcome: 'success' | 'failure') {
        this.admit()(outcome);
      },
      to(next: string) {
        e('breaker.state', { from: state, to: next, reason: 'test' });
        state = next;
        phase++;
      },
      check: () => invariants.breaker().check(trace),
    };
  }
  const RING = {
    failureRateThreshold: 0.5,
    minimumCalls: 2,
    window: { type: 'ring', buckets: 2, bucketDuration: 100 },
  };

  it('ring: a bucket starts with the first outcome bucketDuration after the current one (on whole ms), dropping the oldest', () => {
    const run = (third: number, opens: boolean) => {
      const b = breaker(RING);
      b.call('failure'); // bucket 1, started at 0: 1 call, below minimumCalls
      b.at(100);
      b.call('success'); // 100 - 0 >= 100: bucket 2, started at 100
      b.at(third);
      b.call('failure');
      if (opens) b.to('open');
      return b.check();
    };
    // at 200 the third starts bucket 1 again, dropping the first failure: 1 of 2, not > 0.5
    expect(run(200, false)).toEqual([]);
    expect(run(200, true)[0]?.message).toMatch(/opened with 1 failure\(s\) in 2 call\(s\)/);
    // at 199.9 (199 on its clock) it joins bucket 2: 2 of 3 > 0.5, it must open
    expect(run(199.9, true)).toEqual([]);
    expect(run(199.9, false)[0]?.message).toMatch(
      /2 failure\(s\) in 3 call\(s\) reached failures \/ calls > 0.5.* must open/,
    );
  });

  it('ring: one rotation per outcome, however long the silence (old buckets still count)', () => {
    const b = breaker({
      ...RING,
      minimumCalls: 3,
      window: { type: 'ring', buckets: 3, bucketDuration: 100 },
    });
    b.call('failure');
    b.call('failure');
    b.at(60_000);
    b.call('failure'); // one new bucket: the two failures of a minute ago still count, 3 of 3
    expect(b.check()[0]?.message).toMatch(/3 failure\(s\) in 3 call\(s\) .* must open/);
    b.to('open');
    expect(b.check()).toEqual([]);
  });

  it('samples: late and probe outcomes count, and the window restarts at the probe success that closes it', () => {
    const COUNT = { failureRateThreshold: 0.5, minimumCalls: 3, window: { type: 'count', size: 3 } };
    const run = (counting: string, opensAgain: boolean) => {
      const b = breaker({ ...COUNT, rateCounting: counting });
      const late = b.admit();
      b.call('failure');
      b.call('failure');
      b.call('failure'); // [F, F, F]: opens
      b.to('open');
      late('success'); // told to the breaker, changes no state
      b.at(1000);
      b.to('half-open');
      b.admit()('success'); // restarts the window: [S]
      b.to('closed');
      b.call('failure');
      b.call('failure'); // [S, F, F]: 2 of 3 > 0.5
      if (opensAgain) b.to('open');
      return b.check();
    };
    expect(run('samples', true)).toEqual([]);
    expect(run('samples', false)[0]?.message).toMatch(/2 failure\(s\) in 3 call\(s\) .* must open/);
    // resilience4j's window (emptied on close, probe not counted) has only 2 calls there
    expect(run('outcomes', true)[0]?.message).toMatch(/opened with 2 failure\(s\) in 2 call\(s\)/);
  });

  it('samples: a success carrying an error (an error the strategy was never told of) neither counts nor restarts', () => {
    const b = breaker({ failureRateThreshold: 0.5, minimumCalls: 2, window: { type: 'count', size: 3 } });
    b.call('failure');
    b.call('failure');
    b.to('open');
    b.at(1000);
    b.to('half-open');
    b.admit()('success', new TypeError('not handled'));
    b.to('closed');
    b.call('failure'); // [F, F, F]: the window from before the open still counts
    expect(b.check()[0]?.message).toMatch(/3 failure\(s\) in 3 call\(s\) .* must open/);
    b.to('open');
    expect(b.check()).toEqual([]);
  });

  it('samples: the breaker decides only when told of a failure, so opening on a success is a violation', () => {
    const b = breaker({ failureRateThreshold: 0.5, minimumCalls: 3, window: { type: 'count', size: 3 } });
    b.call('failure');
    b.call('failure'); // 2 calls: below minimumCalls
    b.call('success'); // 2 of 3 > 0.5, but after a success
    b.to('open');
    expect(b.check()[0]?.message).toMatch(/opened with 2 failure\(s\) in 3 call\(s\)/);
  });
});

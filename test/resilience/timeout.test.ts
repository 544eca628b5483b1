import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { TimeoutError } from '../../src/errors/timeout-error.js';
import { timeout } from '../../src/resilience/timeout.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, deferred, traceOn } from './helpers.js';

function setup(mode: 'aggressive' | 'cooperative') {
  const clock = new ManualClock();
  const trace = traceOn(clock);
  const policy = timeout('2s', { mode, name: 'llm', clock, trace });
  return { clock, trace, policy };
}

describe('timeout: aggressive', () => {
  it('returns the value of a call that settles in time and leaves no timer', async () => {
    const { policy, clock, trace } = setup('aggressive');
    const result = capture(policy.execute((signal) => clock.sleep(1999, signal).then(() => 'done')));
    await clock.advance(1999);
    expect(result.value).toBe('done');
    expect(clock.pendingTimers).toBe(0);
    expect(trace.events.map((e) => e.kind)).toEqual(['timeout.declared', 'timeout.started', 'timeout.end']);
  });

  it('rejects with TimeoutError at exactly start + duration, not 1 ms earlier', async () => {
    const { policy, clock, trace } = setup('aggressive');
    await clock.advance(100);
    const never = deferred<string>();
    const result = capture(policy.execute(() => never.promise));
    await clock.advance(1999);
    expect(result.settled).toBe(false);
    await clock.advance(1);
    expect(TimeoutError.is(result.error)).toBe(true);
    expect((result.error as TimeoutError).afterMs).toBe(2000);
    expect((result.error as TimeoutError).source).toBe('llm');
    expect(trace.events.map((e) => [e.t, e.kind, e.data])).toEqual([
      [0, 'timeout.declared', { timeout: 2000, mode: 'aggressive' }],
      [100, 'timeout.started', { call: 1, timeout: 2000 }],
      [2100, 'timeout.timed-out', { call: 1, after: 2000 }],
      [2100, 'timeout.end', { call: 1, outcome: 'timeout' }],
    ]);
  });

  it('aborts the signal passed to the callee with the TimeoutError as reason', async () => {
    const { policy, clock } = setup('aggressive');
    let seen: AbortSignal | undefined;
    const result = capture(
      policy.execute((signal) => {
        seen = signal;
        return deferred().promise;
      }),
    );
    expect(seen?.aborted).toBe(false);
    await clock.advance(2000);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(result.error);
  });

  it('a caller abort rejects at once with its reason and aborts the callee', async () => {
    const { policy, clock } = setup('aggressive');
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const result = capture(
      policy.execute((signal) => {
        seen = signal;
        return deferred().promise;
      }, controller.signal),
    );
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await clock.settle();
    expect(result.error).toBe(reason);
    expect(seen?.reason).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
  });

  it('passes through a callee error and a synchronous throw', async () => {
    const { policy } = setup('aggressive');
    await expect(policy.execute(() => Promise.reject(new Error('bad')))).rejects.toThrow('bad');
    await expect(
      policy.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });
});

describe('timeout: cooperative', () => {
  it('aborts the signal at the deadline and waits for the callee to settle', async () => {
    const { policy, clock } = setup('cooperative');
    const result = capture(
      policy.execute(async (signal) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        await clock.sleep(500);
        throw new Error('cleanup done');
      }),
    );
    await clock.advance(2000);
    expect(result.settled).toBe(false);
    await clock.advance(500);
    const error = result.error as TimeoutError;
    expect(TimeoutError.is(error)).toBe(true);
    expect((error.cause as Error).message).toBe('cleanup done');
  });

  it('a callee that rejects with the signal reason gets that same TimeoutError', async () => {
    const { policy, clock } = setup('cooperative');
    const result = capture(policy.execute((signal) => clock.sleep(10_000, signal)));
    await clock.advance(2000);
    expect(TimeoutError.is(result.error)).toBe(true);
    expect((result.error as TimeoutError).cause).toBeUndefined();
  });

  it('a callee that ignores the abort and resolves returns its value', async () => {
    const { policy, clock } = setup('cooperative');
    const result = capture(policy.execute(() => clock.sleep(3000).then(() => 'late but fine')));
    await clock.advance(3000);
    expect(result.value).toBe('late but fine');
  });
});

describe('timeout: options', () => {
  it('defaults to aggressive and validates', () => {
    expect(timeout(10).mode).toBe('aggressive');
    expect(timeout('1m').durationMs).toBe(60_000);
    expect(() => timeout(-1)).toThrow(ConfigError);
    expect(() => timeout('1s', { mode: 'lazy' as 'aggressive' })).toThrow(ConfigError);
  });
});

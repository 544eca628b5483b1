import { describe, expect, it } from 'vitest';
import { BulkheadRejectedError } from '../../src/errors/bulkhead-rejected-error.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { bulkhead } from '../../src/resilience/bulkhead.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, deferred, traceOn } from './helpers.js';

function setup(maxConcurrent: number, maxQueue?: number) {
  const clock = new ManualClock();
  const trace = traceOn(clock);
  const pool = bulkhead({ maxConcurrent, maxQueue, name: 'db', clock, trace });
  return { clock, trace, pool };
}

describe('bulkhead', () => {
  it('runs at most maxConcurrent at once, queues maxQueue, rejects the next at once', async () => {
    const { pool, clock } = setup(2, 1);
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    const started: number[] = [];
    const calls = gates.map((g, i) =>
      capture(
        pool.execute(() => {
          started.push(i);
          return g.promise;
        }),
      ),
    );
    expect(started).toEqual([0, 1]);
    expect(pool.metrics()).toMatchObject({ running: 2, queued: 1 });
    const rejected = capture(pool.execute(() => 'never'));
    await clock.settle();
    expect(rejected.error).toBeInstanceOf(BulkheadRejectedError);
    expect(rejected.error).toMatchObject({ source: 'db', limit: 2, queue: 1 });
    gates[1]!.resolve('b');
    await clock.settle();
    expect(started).toEqual([0, 1, 2]);
    expect(calls[1]!.value).toBe('b');
    gates[0]!.resolve('a');
    gates[2]!.resolve('c');
    await clock.settle();
    expect(calls.map((c) => c.value)).toEqual(['a', 'b', 'c']);
    expect(pool.metrics()).toMatchObject({ running: 0, queued: 0, admitted: 3, rejected: 1 });
  });

  it('without a trace (its allocation-free path) releases the slot on success, failure and a synchronous throw', async () => {
    const clock = new ManualClock();
    const pool = bulkhead({ maxConcurrent: 1, maxQueue: 2, clock });
    const gates = [deferred<string>(), deferred<string>()];
    const started: string[] = [];
    const gated = (name: string, k: number) => () => {
      started.push(name);
      return gates[k]!.promise;
    };
    const first = capture(pool.execute(gated('a', 0)));
    const second = capture(pool.execute(gated('b', 1)));
    const third = capture(
      pool.execute(() => {
        started.push('c');
        throw new Error('sync');
      }),
    );
    expect(started).toEqual(['a']);
    expect(pool.metrics()).toMatchObject({ running: 1, queued: 2 });
    gates[0]!.reject(new Error('boom'));
    await clock.settle();
    expect(first.error).toMatchObject({ message: 'boom' });
    expect(started).toEqual(['a', 'b']);
    gates[1]!.resolve('b');
    await clock.settle();
    expect(second.value).toBe('b');
    expect(started).toEqual(['a', 'b', 'c']);
    expect(third.error).toMatchObject({ message: 'sync' });
    expect(pool.metrics()).toMatchObject({ running: 0, queued: 0, admitted: 3 });
    await expect(pool.execute(() => 'free')).resolves.toBe('free');
  });

  it('maxQueue defaults to 0: the call after maxConcurrent is rejected', async () => {
    const { pool } = setup(1);
    const gate = deferred();
    const first = pool.execute(() => gate.promise);
    await expect(pool.execute(() => 1)).rejects.toBeInstanceOf(BulkheadRejectedError);
    gate.resolve();
    await first;
    await expect(pool.execute(() => 2)).resolves.toBe(2);
  });

  it('admits waiters in FIFO order, and a waiter whose signal aborts leaves the queue', async () => {
    const { pool, clock, trace } = setup(1, 3);
    const gate = deferred();
    const order: string[] = [];
    void pool.execute(() => gate.promise);
    const controller = new AbortController();
    const a = capture(pool.execute(async () => order.push('a')));
    const b = capture(pool.execute(async () => order.push('b'), controller.signal));
    const c = capture(pool.execute(async () => order.push('c')));
    controller.abort(new Error('gave up'));
    await clock.settle();
    expect(b.error).toMatchObject({ message: 'gave up' });
    expect(pool.metrics()).toMatchObject({ queued: 2, abandoned: 1 });
    // The freed queue place is usable again.
    const d = capture(pool.execute(async () => order.push('d')));
    gate.resolve();
    await clock.settle();
    expect(order).toEqual(['a', 'c', 'd']);
    expect(a.settled && c.settled && d.settled).toBe(true);
    expect(trace.ofKind('bulkhead.abandoned')).toHaveLength(1);
  });

  it('work whose caller gave up holds its slot until it settles', async () => {
    const { pool, clock } = setup(1, 0);
    const gate = deferred();
    const controller = new AbortController();
    let sawAbort = false;
    const first = capture(
      pool.execute(async (signal) => {
        signal.addEventListener('abort', () => {
          sawAbort = true;
        });
        await gate.promise;
        return 'late';
      }, controller.signal),
    );
    controller.abort();
    await clock.settle();
    expect(sawAbort).toBe(true);
    expect(first.settled).toBe(false);
    await expect(pool.execute(() => 'x')).rejects.toBeInstanceOf(BulkheadRejectedError);
    gate.resolve();
    await clock.settle();
    expect(first.value).toBe('late');
    await expect(pool.execute(() => 'x')).resolves.toBe('x');
  });

  it('an already aborted signal rejects without taking a slot; errors and sync throws free the slot', async () => {
    const { pool } = setup(1);
    await expect(pool.execute(() => 1, AbortSignal.abort(new Error('pre')))).rejects.toThrow('pre');
    await expect(pool.execute(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      pool.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(pool.metrics()).toMatchObject({ running: 0, admitted: 2 });
    await expect(pool.execute(() => 3)).resolves.toBe(3);
  });

  it('traces its declaration and every decision with call ids and the wait on the clock', async () => {
    const { pool, clock, trace } = setup(1, 1);
    void pool.execute(() => clock.sleep(100));
    const queued = pool.execute(() => 'q');
    await expect(pool.execute(() => 'r')).rejects.toBeInstanceOf(BulkheadRejectedError);
    await clock.advance(100);
    await queued;
    expect(trace.events.map((e) => [e.t, e.kind, e.data])).toEqual([
      [0, 'bulkhead.declared', { maxConcurrent: 1, maxQueue: 1 }],
      [0, 'bulkhead.admitted', { call: 0, running: 1 }],
      [0, 'bulkhead.queued', { call: 1, running: 1, queued: 1 }],
      [0, 'bulkhead.rejected', { call: 2, running: 1, queued: 1 }],
      [100, 'bulkhead.released', { call: 0, running: 0 }],
      [100, 'bulkhead.admitted', { call: 1, running: 1, waited: 100 }],
      [100, 'bulkhead.released', { call: 1, running: 0 }],
    ]);
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => bulkhead({ maxConcurrent: 0 })).toThrow(ConfigError);
    expect(() => bulkhead({ maxConcurrent: 0 })).toThrow(
      /bulkhead\(\{ maxConcurrent \}\): got 0; expected an integer >= 1/,
    );
    expect(() => bulkhead({ maxConcurrent: 1, maxQueue: -1 })).toThrow(/maxQueue/);
    expect(() => bulkhead({ maxConcurrent: 1.5 })).toThrow(/maxConcurrent/);
    expect(() => bulkhead({ maxConcurrent: 1, maxQeue: 2 } as never)).toThrow(/bulkhead\(\{ maxQeue \}\)/);
    expect(() => bulkhead(undefined as never)).toThrow(ConfigError);
    expect(() => bulkhead({ maxConcurrent: 1, name: '' })).toThrow(/name/);
  });
});

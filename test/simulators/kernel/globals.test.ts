import { AsyncLocalStorage } from 'node:async_hooks';
import * as timers from 'node:timers';
import { setTimeout as sleepPromise } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SimulationError, simulate } from '../../../src/index.js';

const EPOCH = Date.UTC(2025, 0, 1);

function snapshotGlobals() {
  return {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
    setImmediate: globalThis.setImmediate,
    clearImmediate: globalThis.clearImmediate,
    Date: globalThis.Date,
    performanceNow: performance.now,
    random: Math.random,
    abortTimeout: AbortSignal.timeout,
    fetch: globalThis.fetch,
    queueMicrotask: globalThis.queueMicrotask,
    nextTick: process.nextTick,
    timersSetTimeout: timers.setTimeout,
  };
}

describe('virtual globals', () => {
  it('makes Date and performance.now virtual, starting at the virtual epoch', async () => {
    const result = await simulate({ seed: 1 }, async () => {
      const d0 = Date.now();
      const p0 = performance.now();
      const iso0 = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 90_000));
      return { d0, p0, iso0, d1: Date.now(), p1: performance.now() };
    });
    expect(result.value).toEqual({
      d0: EPOCH,
      p0: 0,
      iso0: '2025-01-01T00:00:00.000Z',
      d1: EPOCH + 90_000,
      p1: 90_000,
    });
    expect(result.stats.virtualTimeMs).toBe(90_000);
  });

  it('honours startTime', async () => {
    const result = await simulate({ seed: 1, startTime: '2030-06-01T12:00:00Z' }, () =>
      new Date().toISOString(),
    );
    expect(result.value).toBe('2030-06-01T12:00:00.000Z');
  });

  it('makes AbortSignal.timeout fire on virtual time', async () => {
    const result = await simulate({ seed: 1 }, async () => {
      const signal = AbortSignal.timeout(5000);
      const start = Date.now();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      return { waited: Date.now() - start, reason: (signal.reason as DOMException).name };
    });
    expect(result.value).toEqual({ waited: 5000, reason: 'TimeoutError' });
  });

  it('seeds Math.random per run', async () => {
    const draw = () => Array.from({ length: 5 }, () => Math.random());
    const a = await simulate({ seed: 11 }, draw);
    const b = await simulate({ seed: 11 }, draw);
    const c = await simulate({ seed: 12 }, draw);
    expect(a.value).toEqual(b.value);
    expect(a.value).not.toEqual(c.value);
    for (const x of a.value!) expect(x >= 0 && x < 1).toBe(true);
  });

  it('orders timers by (time, insertion) and runs intervals, immediates and clears', async () => {
    const result = await simulate({ seed: 1 }, async () => {
      const log: string[] = [];
      const at = (label: string) => log.push(`${label}@${performance.now()}`);
      setTimeout(() => at('b'), 20);
      setTimeout(() => at('a'), 10);
      setTimeout(() => at('c'), 20);
      const cancelled = setTimeout(() => at('never'), 15);
      clearTimeout(cancelled);
      setImmediate(() => at('immediate'));
      let n = 0;
      const iv = setInterval(() => {
        at(`tick${++n}`);
        if (n === 3) clearInterval(iv);
      }, 7);
      await new Promise((r) => setTimeout(r, 50));
      return log;
    });
    expect(result.value).toEqual(['immediate@0', 'tick1@7', 'a@10', 'tick2@14', 'b@20', 'c@20', 'tick3@21']);
  });

  it("follows Node's delay rules: 0, negative and NaN delays become 1 ms", async () => {
    const result = await simulate({ seed: 1 }, async () => {
      const times: number[] = [];
      for (const d of [0, -5, Number.NaN, undefined]) {
        await new Promise((r) => setTimeout(r, d as number));
        times.push(performance.now());
      }
      return times;
    });
    expect(result.value).toEqual([1, 2, 3, 4]);
  });

  it('supports Node timer objects: unref, refresh, numeric ids', async () => {
    const result = await simulate({ seed: 1 }, async () => {
      const log: number[] = [];
      const t = setTimeout(() => log.push(performance.now()), 100);
      expect(t.hasRef()).toBe(true);
      await new Promise((r) => setTimeout(r, 60));
      t.refresh(); // restarts from 60 → fires at 160
      const byId = setTimeout(() => log.push(-1), 10);
      clearTimeout(Number(byId));
      await new Promise((r) => setTimeout(r, 200));
      return log;
    });
    expect(result.value).toEqual([160]);
  });

  it('virtualizes node:timers/promises and util.promisify(setTimeout)', async () => {
    const result = await simulate({ seed: 1 }, async () => {
      await sleepPromise(1000);
      const a = performance.now();
      await promisify(setTimeout)(500);
      const b = performance.now();
      await new Promise((r) => timers.setTimeout(r, 250));
      return [a, b, performance.now()];
    });
    expect(result.value).toEqual([1000, 1500, 1750]);
  });

  it('keeps AsyncLocalStorage context across virtual timers', async () => {
    const als = new AsyncLocalStorage<string>();
    const result = await simulate({ seed: 1 }, async (sim) => {
      const seen: (string | undefined)[] = [];
      await Promise.all(
        ['x', 'y'].map((id) =>
          als.run(id, async () => {
            await sim.sleep(id === 'x' ? 20 : 10);
            seen.push(als.getStore());
            await new Promise<void>((resolve) =>
              setTimeout(() => {
                seen.push(als.getStore());
                resolve();
              }, 5),
            );
          }),
        ),
      );
      return seen;
    });
    expect(result.value).toEqual(['y', 'y', 'x', 'x']);
  });

  it('leaves queueMicrotask and process.nextTick real', async () => {
    const before = snapshotGlobals();
    const result = await simulate({ seed: 1 }, () => ({
      qm: globalThis.queueMicrotask === before.queueMicrotask,
      nt: process.nextTick === before.nextTick,
      st: globalThis.setTimeout === before.setTimeout,
    }));
    expect(result.value).toEqual({ qm: true, nt: true, st: false });
  });

  it('restores every global after a throwing body, and reports the error without rejecting', async () => {
    const before = snapshotGlobals();
    const result = await simulate({ seed: 9 }, async () => {
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('boom');
    });
    expect(result.outcome).toBe('failed');
    expect((result.error as Error).message).toBe('boom');
    expect(snapshotGlobals()).toEqual(before);
    const real = Date.now();
    expect(Math.abs(real - new before.Date().getTime())).toBeLessThan(60_000);
  });

  it('restores globals after a synchronous throw and after a kernel failure', async () => {
    const before = snapshotGlobals();
    const sync = await simulate({ seed: 1 }, () => {
      throw new TypeError('sync');
    });
    expect(sync.error).toBeInstanceOf(TypeError);
    await expect(simulate({ seed: 1 }, () => new Promise(() => {}))).rejects.toThrow(/deadlock/);
    expect(snapshotGlobals()).toEqual(before);
  });

  it('refuses nested and concurrent simulations without corrupting the first', async () => {
    const outer = await simulate({ seed: 1 }, async () => {
      const nested = await simulate({ seed: 2 }, async () => 1).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100));
      return { nested, now: performance.now() };
    });
    expect(SimulationError.is(outer.value!.nested)).toBe(true);
    expect(String((outer.value!.nested as Error).message)).toMatch(/already running/);
    expect(outer.value!.now).toBe(100);

    const first = simulate({ seed: 3 }, async (sim) => {
      await sim.sleep(10);
      return 'first';
    });
    await expect(simulate({ seed: 4 }, async () => 'second')).rejects.toThrow(/already running/);
    expect((await first).value).toBe('first');
  });

  it('treats an exception thrown in a timer callback as a failed run', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      setTimeout(() => {
        throw new RangeError('from a timer');
      }, 5);
      await sim.sleep(100);
      return 'unreachable';
    });
    expect(result.outcome).toBe('failed');
    expect(result.error).toBeInstanceOf(RangeError);
  });
});

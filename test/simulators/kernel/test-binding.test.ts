import { describe, expect, it } from 'vitest';
import { type SimulationError, SimulationLimitError, simulate } from '../../../src/index.js';

const realSetTimeout = globalThis.setTimeout;
const realDate = globalThis.Date;
const realDelay = (ms: number) => new Promise((r) => realSetTimeout(r, ms));

function expectRealGlobals(): void {
  expect(globalThis.setTimeout).toBe(realSetTimeout);
  expect(globalThis.Date).toBe(realDate);
  expect(Math.abs(Date.now() - new realDate().getTime())).toBeLessThan(60_000);
}

describe('a run cannot outlive its test', () => {
  let timedOut: Promise<unknown> | undefined;
  let floating: Promise<unknown> | undefined;

  it.fails('a test that times out mid-run (fails on purpose)', async () => {
    timedOut = simulate({ seed: 31, wallTimeout: '60s' }, async () => {
      const rt = realSetTimeout;
      await new Promise((r) => rt(r, 20_000)); // real work that outlasts the test
    }).catch((e: unknown) => e);
    await timedOut;
  }, 300);

  it("a timed-out test's run does not leak patched globals into the next test", async () => {
    expectRealGlobals();
    const error = (await timedOut) as SimulationError;
    expect(error.code).toBe('ABORTED');
    expect(error.message).toMatch(
      /its test "a test that times out mid-run \(fails on purpose\)" was aborted/,
    );
    expect(error.message).toContain('Every patched global was restored');
    const result = await simulate({ seed: 1 }, (sim) => sim.sleep('1s').then(() => new Date().toISOString()));
    expect(result.value).toBe('2025-01-01T00:00:01.000Z');
  });

  it('a test that returns without awaiting its run', () => {
    floating = simulate({ seed: 32, wallTimeout: '60s' }, async () => {
      const rt = realSetTimeout;
      await new Promise((r) => rt(r, 20_000));
    }).catch((e: unknown) => e);
  });

  it('ends that run when its test finishes, restoring every global', async () => {
    expectRealGlobals();
    const error = (await floating) as SimulationError;
    expect(error.code).toBe('ABORTED');
    expect(error.message).toContain(
      'its test "a test that returns without awaiting its run" finished before the run did',
    );
  });

  it('keeps the default wallTimeout below the test timeout', async () => {
    const error = await simulate({ seed: 33 }, async () => {
      const rt = realSetTimeout;
      await new Promise((r) => rt(r, 20_000));
    }).catch((e: unknown) => e);
    expect(SimulationLimitError.is(error)).toBe(true);
    expect((error as SimulationLimitError).limit).toBe('wallTimeout');
    expect((error as Error).message).toContain('(wallTimeout 1600 ms)');
    expectRealGlobals();
  }, 2000);
});

describe('cancelling a run with an AbortSignal', () => {
  it('stops the run at once, restores every global and rejects with ABORTED', async () => {
    const controller = new AbortController();
    realSetTimeout(() => controller.abort(new Error('user pressed stop')), 50);
    const error = await simulate({ seed: 34, signal: controller.signal }, async (sim) => {
      sim.spawn('ticker', async () => {
        for (;;) await sim.sleep('1s');
      });
      const rt = realSetTimeout;
      await new Promise((r) => rt(r, 20_000));
    }).then(
      () => undefined as never,
      (e: unknown) => e as SimulationError,
    );
    expect(error.code).toBe('ABORTED');
    expect(error.message).toContain('its signal was aborted (user pressed stop)');
    expect(error.message).toContain('FAULTLINE_SEED=34');
    expectRealGlobals();
  });

  it('an already aborted signal never starts the body', async () => {
    let started = false;
    const error = await simulate({ seed: 35, signal: AbortSignal.abort() }, () => {
      started = true;
    }).then(
      () => undefined as never,
      (e: unknown) => e as SimulationError,
    );
    expect(error.code).toBe('ABORTED');
    expect(started).toBe(false);
    expectRealGlobals();
    expect((await simulate({ seed: 1 }, () => 'next run')).value).toBe('next run');
  });

  it('rejects a signal that is not an AbortSignal', async () => {
    await expect(simulate({ signal: 'stop' as never }, () => 1)).rejects.toThrow(/simulate\(\{ signal \}\)/);
  });
});

describe.concurrent('under test.concurrent', () => {
  it('c1 waits', async () => {
    await realDelay(150);
  });
  it('c2 simulates after an await', async () => {
    await realDelay(30);
    const result = await simulate({ seed: 36 }, (sim) => sim.sleep(5));
    expect(result.rerun).toMatch(/ -t 'c2 simulates after an await'$/);
  });
  it('c3 waits', async () => {
    await realDelay(150);
  });
});

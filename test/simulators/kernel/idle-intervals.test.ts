import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  SimulationDeadlockError,
  type SimulationLimitError,
  simulate,
} from '../../../src/index.js';

const stuck = () => new Promise<never>(() => {});

describe('a run kept alive only by intervals', () => {
  it('stops after 10,000 idle interval firings with a deadlock naming the interval', async () => {
    const run = () =>
      simulate({ seed: 41 }, async () => {
        setInterval(() => {}, 1000);
        await stuck();
      }).then(
        () => undefined as never,
        (e: unknown) => e as SimulationDeadlockError,
      );
    const error = await run();
    expect(SimulationDeadlockError.is(error)).toBe(true);
    expect(error.message).toContain('only intervals are queued');
    expect(error.message).toContain('10000 interval firings in a row changed nothing observable');
    expect(error.message).toMatch(/setInterval every 1s created at .*idle-intervals\.test\.ts:\d+:\d+/);
    expect(error.pending.map((p) => p.name)).toEqual(['<body>']);
    expect(error.time).toBe(10_001_000);
    expect((await run()).time).toBe(error.time);
  });

  it('names the interval when maxTime stops such a run', async () => {
    const error = await simulate({ seed: 42, maxTime: '1h', maxIdleIntervals: 1e9 }, async () => {
      setInterval(() => {}, 250);
      await stuck();
    }).then(
      () => undefined as never,
      (e: unknown) => e as SimulationLimitError,
    );
    expect(error.limit).toBe('maxTime');
    expect(error.message).toMatch(
      /only intervals were left to keep the run going: setInterval every 250ms created at .*idle-intervals\.test\.ts/,
    );
  });

  it('lets intervals run on while they make observable progress', async () => {
    const result = await simulate({ seed: 43 }, (sim) => {
      let ticks = 0;
      return new Promise<number>((resolve) => {
        const id = setInterval(() => {
          sim.emit('tick', { n: ++ticks });
          if (ticks === 20_000) {
            clearInterval(id);
            resolve(ticks);
          }
        }, 10);
      });
    });
    expect(result.value).toBe(20_000);
  });

  it('does not count firings while another timer is pending, nor within the limit', async () => {
    const result = await simulate({ seed: 44 }, async (sim) => {
      const heartbeat = setInterval(() => {}, 1000);
      await sim.sleep('5h'); // 18,000 idle heartbeats, but the sleep will wake the body
      let polls = 0;
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (++polls === 9_000) {
            clearInterval(poll);
            resolve();
          }
        }, 1);
      });
      clearInterval(heartbeat);
      return polls;
    });
    expect(result.value).toBe(9_000);
  });

  it('takes maxIdleIntervals and rejects a bad one', async () => {
    const error = await simulate({ seed: 45, maxIdleIntervals: 5 }, async () => {
      setInterval(() => {}, 1000);
      await stuck();
    }).then(
      () => undefined as never,
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain('5 interval firings in a row');
    await expect(simulate({ maxIdleIntervals: 0 }, () => 1)).rejects.toThrow(ConfigError);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { ManualClock } from '../../src/time/manual-clock.js';

describe('ManualClock', () => {
  it('starts at the given time and moves only when advanced', async () => {
    const clock = new ManualClock(50);
    expect(clock.now()).toBe(50);
    await clock.advance(25);
    expect(clock.now()).toBe(75);
    await clock.advanceTo(100);
    expect(clock.now()).toBe(100);
  });

  it('fires timers in (time, insertion) order, each at its own time', async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(20, () => fired.push(`c@${clock.now()}`));
    clock.setTimer(0, () => fired.push(`zero@${clock.now()}`));
    await clock.advance(15);
    expect(fired).toEqual(['zero@0', 'a@10']);
    await clock.advance(5);
    expect(fired).toEqual(['zero@0', 'a@10', 'b@20', 'c@20']);
  });

  it('settles promise chains between firings, so chained sleeps see the right time', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        await Promise.resolve();
        seen.push(clock.now());
      }
    })();
    await clock.advance(30);
    expect(seen).toEqual([10, 20, 30]);
  });

  it('cancel() removes a timer; sleep rejects on abort', async () => {
    const clock = new ManualClock();
    let fired = false;
    const handle = clock.setTimer(5, () => {
      fired = true;
    });
    handle.cancel();
    handle.cancel();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10);
    expect(fired).toBe(false);
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers).toBe(0);
  });

  it('runAll fires timers scheduled while running and reports the next due time', async () => {
    const clock = new ManualClock();
    clock.setTimer(5, () => clock.setTimer(5, () => {}));
    expect(clock.nextTimerAt).toBe(5);
    await clock.runAll();
    expect(clock.now()).toBe(10);
    expect(clock.nextTimerAt).toBeUndefined();
  });

  it('refuses to go backwards', async () => {
    const clock = new ManualClock(10);
    await expect(clock.advanceTo(5)).rejects.toBeInstanceOf(ConfigError);
    expect(() => clock.advance(-1)).toThrow(ConfigError);
  });
});

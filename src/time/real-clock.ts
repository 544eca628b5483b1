import { type Clock, sleepWith, type TimerHandle } from './clock.js';

/**
 * The production clock. It reads the globals at call time, so inside `simulate`
 * (where the globals are virtual) it follows the virtual clock as well.
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(id) };
  },
  sleep(ms: number, signal?: AbortSignal) {
    return sleepWith(realClock, ms, signal);
  },
};

import { createHook, type HookCallbacks } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { Quiescence } from '../../../src/simulators/kernel/quiescence.js';

/** Whether an async hook was created with promise tracking off (Node ≥ 26 records it). */
const skipsPromises = (hook: object) =>
  Object.getOwnPropertySymbols(hook).some(
    (s) => s.description === 'kNoPromiseHook' && (hook as Record<symbol, unknown>)[s] === true,
  );

describe('Quiescence hook', () => {
  it('opts out of promise tracking wherever Node offers it (trackPromises: false)', () => {
    const offered = skipsPromises(createHook(<HookCallbacks>{ init() {}, trackPromises: false }));
    const hook = (new Quiescence() as unknown as { hook: object }).hook;
    // On Node 20 neither records the option; on Node ≥ 26 both must.
    expect(skipsPromises(hook)).toBe(offered);
  });

  it('still sees real work started from a promise continuation', async () => {
    const q = new Quiescence();
    q.start();
    try {
      await Promise.resolve();
      const timer = setTimeout(() => {}, 1_000);
      expect(q.isQuiet()).toBe(false);
      expect(q.inFlight().join('\n')).toMatch(/Timeout/);
      clearTimeout(timer);
      expect(q.isQuiet()).toBe(true);
    } finally {
      q.stop();
    }
  });
});

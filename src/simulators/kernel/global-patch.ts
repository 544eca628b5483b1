import { createRequire, syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';
import type { Random } from '../../random/random.js';
import { abortReason } from '../../time/abort.js';
import { createBridgeDispatcher, GLOBAL_DISPATCHERS } from '../http/dispatcher.js';
import { interceptNodeHttp } from '../http/node-http.js';
import { guardSockets } from '../http/socket-guard.js';
import { VirtualClock } from './virtual-clock.js';
import { installVirtualDate, type VirtualDate } from './virtual-date.js';

/*
 * The one module that patches globals. While a simulation runs, agent code sees
 * virtual `setTimeout`/`setInterval`/`setImmediate` (and their clears, also on
 * `node:timers` and `node:timers/promises`), `Date`, `performance.now`,
 * `AbortSignal.timeout`, a seeded `Math.random` and, when given, `fetch` (the
 * HTTP bridge's) with the rest of the network boundary: `node:http`/`node:https`
 * client requests answered by the same `fetch` (http/node-http.ts) and every
 * socket connection refused (http/socket-guard.ts), so nothing reaches the
 * real network. `queueMicrotask` and `process.nextTick` stay real: faking them
 * breaks Node's fetch.
 * `restore()` puts back exactly what was there, whatever happened.
 */

const require = createRequire(import.meta.url);
const timersModule = require('node:timers') as Record<string, unknown>;
const timersPromises = require('node:timers/promises') as Record<string, unknown>;

const GLOBAL_NAMES = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
] as const;

export interface GlobalPatch {
  /** Moves `Date` and `performance.now` to the given virtual time (ms since start). */
  setTime(virtualMs: number): void;
  restore(): void;
}

/** Optional globals a simulation replaces besides time and randomness. */
export interface ExtraGlobals {
  /**
   * Replaces `globalThis.fetch` until `restore()` (the simulation's HTTP bridge),
   * and routes Node's own fetch to it too (undici's global dispatcher), so a
   * `fetch` captured before the run never reaches the network either; answers
   * `node:http`/`node:https` client requests with it; refuses every socket
   * connection (`net`/`tls` connect) opened meanwhile.
   */
  fetch?: typeof globalThis.fetch;
  /** The routed base URLs, named in the socket guard's error when a refused connection's host is routed. */
  routes?: () => readonly string[];
}

export function installGlobals(
  clock: VirtualClock,
  random: Random,
  epochMs: number,
  extras: ExtraGlobals = {},
): GlobalPatch {
  const g = globalThis as Record<string, any>;
  const unpatchNetwork: (() => void)[] = [];
  const savedGlobals = GLOBAL_NAMES.map((name) => [name, g[name]] as const);
  const savedTimers = GLOBAL_NAMES.map((name) => [name, timersModule[name]] as const);
  const savedPromises = (['setTimeout', 'setImmediate'] as const).map((n) => [n, timersPromises[n]] as const);
  const savedRandom = Math.random;
  const savedAbortTimeout = AbortSignal.timeout;

  const fakes = makeTimerFunctions(clock);
  let virtualDate: VirtualDate | undefined;
  try {
    for (const name of GLOBAL_NAMES) {
      g[name] = fakes[name];
      timersModule[name] = fakes[name];
    }
    timersPromises.setTimeout = fakes.promiseTimeout;
    timersPromises.setImmediate = fakes.promiseImmediate;
    Math.random = () => random.next();
    AbortSignal.timeout = (ms: number) => {
      const controller = new AbortController();
      clock.schedule(
        'timeout',
        abortDelay(ms),
        () => {
          controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
        },
        undefined,
      );
      // Node unrefs this timer, but in a simulation it stands in for the timeout of
      // real I/O that would keep the process alive, so it stays ref'd: a request
      // that hangs then times out instead of reading as a deadlock.
      return controller.signal;
    };
    virtualDate = installVirtualDate(epochMs);
    if (extras.fetch) {
      unpatchNetwork.push(guardSockets(extras.routes));
      unpatchNetwork.push(installFetch(extras.fetch));
      unpatchNetwork.push(interceptNodeHttp(extras.fetch));
    }
    syncBuiltinESMExports();
  } catch (error) {
    restoreAll();
    throw error;
  }

  function restoreAll() {
    // Last patched, first restored; every step runs whatever an earlier one threw.
    const errors: unknown[] = [];
    for (const undo of unpatchNetwork.splice(0).reverse()) {
      try {
        undo();
      } catch (error) {
        errors.push(error);
      }
    }
    restoreTimeAndRandom();
    if (errors.length) throw errors[0];
  }

  function restoreTimeAndRandom() {
    virtualDate?.restore();
    for (const [name, value] of savedGlobals) g[name] = value;
    for (const [name, value] of savedTimers) timersModule[name] = value;
    for (const [name, value] of savedPromises) timersPromises[name] = value;
    syncBuiltinESMExports();
    Math.random = savedRandom;
    AbortSignal.timeout = savedAbortTimeout;
  }

  return {
    setTime(virtualMs: number) {
      virtualDate!.setTime(virtualMs);
    },
    restore: restoreAll,
  };
}

/**
 * Points `globalThis.fetch` and Node's own fetch (undici's global dispatcher,
 * under each symbol an undici version reads, which a `fetch` reference
 * captured earlier still uses) at `fetchImpl`; returns the function that puts
 * back exactly what was there: each property's own descriptor, or no property.
 */
export function installFetch(fetchImpl: typeof globalThis.fetch): () => void {
  // Node loads undici on first use of a fetch global, and undici then installs its
  // global dispatcher unless one is there. Loaded during the run, it would find
  // ours, and after the restore nothing: Node's fetch would fail from then on.
  void globalThis.Headers;
  const dispatcher = createBridgeDispatcher(fetchImpl);
  const undo: (() => void)[] = [];
  try {
    undo.push(replaceGlobal('fetch', fetchImpl));
    for (const key of GLOBAL_DISPATCHERS) undo.push(replaceGlobal(key, dispatcher));
  } catch (error) {
    for (const restore of undo.reverse()) restore();
    throw error;
  }
  return () => {
    for (const restore of undo.reverse()) restore();
  };
}

/**
 * Sets `globalThis[key]` to `value`; returns the function that puts back the
 * original descriptor (or deletes the property if there was none). undici
 * defines its dispatcher symbols non-configurable but writable: those are
 * assigned, and restored by assignment too (`defineProperty` with the same
 * attributes).
 */
function replaceGlobal(key: string | symbol, value: unknown): () => void {
  const g = globalThis as Record<string | symbol, unknown>;
  const saved = Object.getOwnPropertyDescriptor(g, key);
  if (saved === undefined || saved.configurable) {
    Object.defineProperty(g, key, {
      value,
      writable: true,
      enumerable: saved?.enumerable ?? false,
      configurable: true,
    });
  } else {
    g[key] = value;
  }
  return () => {
    if (saved === undefined) delete g[key];
    else Object.defineProperty(g, key, saved);
  };
}

function abortDelay(ms: unknown): number {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function makeTimerFunctions(clock: VirtualClock) {
  const setTimeout = (callback: (...args: any[]) => void, delay?: number, ...args: unknown[]) =>
    clock.schedule('timeout', clockDelay(delay), callback, args.length ? args : undefined);
  const setInterval = (callback: (...args: any[]) => void, delay?: number, ...args: unknown[]) =>
    clock.schedule('interval', clockDelay(delay), callback, args.length ? args : undefined);
  const setImmediate = (callback: (...args: any[]) => void, ...args: unknown[]) =>
    clock.schedule('immediate', 0, callback, args.length ? args : undefined);
  const clear = (handle: unknown) => clock.clear(handle);

  function promiseTimeout<T>(delay?: number, value?: T, options?: { signal?: AbortSignal; ref?: boolean }) {
    return promiseTimer<T>('timeout', clockDelay(delay), value, options);
  }
  function promiseImmediate<T>(value?: T, options?: { signal?: AbortSignal; ref?: boolean }) {
    return promiseTimer<T>('immediate', 0, value, options);
  }
  function promiseTimer<T>(
    kind: 'timeout' | 'immediate',
    delay: number,
    value: T | undefined,
    options: { signal?: AbortSignal; ref?: boolean } | undefined,
  ): Promise<T> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        clock.cancel(timer);
        reject(abortError(signal!));
      };
      const timer = clock.schedule(
        kind,
        delay,
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        undefined,
      );
      if (options?.ref === false) timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  Object.defineProperty(setTimeout, promisify.custom, { value: promiseTimeout });
  Object.defineProperty(setImmediate, promisify.custom, { value: promiseImmediate });

  return {
    setTimeout,
    clearTimeout: clear,
    setInterval,
    clearInterval: clear,
    setImmediate,
    clearImmediate: clear,
    promiseTimeout,
    promiseImmediate,
  };
}

const clockDelay = VirtualClock.nodeDelay;

function abortError(signal: AbortSignal): unknown {
  // timers/promises rejects with an AbortError whose cause is the reason.
  const error = new DOMException('The operation was aborted', 'AbortError');
  (error as { cause?: unknown }).cause = abortReason(signal);
  return error;
}

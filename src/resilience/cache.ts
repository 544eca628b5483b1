/*
 * A read-through cache on the clock: `get(key, load)` returns a fresh value,
 * or joins the load already running for that key, or starts one. A value is
 * fresh while `now < storedAt + ttl` (at exactly `storedAt + ttl` it has
 * expired). Expired values stay available through `stale(key)` ("serve stale
 * on error") until evicted; at most `maxEntries` keys are kept, the least
 * recently used evicted first. A failed load stores nothing.
 */
import { checkOptions, integerAtLeast, optionPath } from '../options/validate.js';
import { abortReason } from '../time/abort.js';
import type { Clock } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';
import { realClock } from '../time/real-clock.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { TracedError } from '../trace/event-map.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';

export interface CacheOptions extends PolicyOptions {
  /** How long a loaded value is fresh. Required. */
  ttl: Duration;
  /** Keys kept at most (integer ≥ 1); the least recently used is evicted. Default 1000. */
  maxEntries?: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

interface Load<V> {
  readonly promise: Promise<V>;
  readonly controller: AbortController;
  waiters: number;
}

const KEYS = [...POLICY_KEYS, 'ttl', 'maxEntries'];
const OWNER = 'cache';

/** A read-through cache bound to a clock. Create it with `cache(options)`. */
export class Cache<K = string, V = unknown> {
  readonly name: string;
  readonly ttlMs: number;
  readonly maxEntries: number;
  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly tracing: boolean;
  /** Insertion order = recency order (a hit moves the key to the end). */
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loads = new Map<K, Load<V>>();

  constructor(options: CacheOptions) {
    const o = checkOptions(OWNER, options, KEYS, true);
    this.name = policyName(OWNER, o.name, 'cache');
    this.clock = o.clock ?? realClock;
    this.trace = o.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.ttlMs = duration(o.ttl as Duration, optionPath(OWNER, 'ttl'));
    this.maxEntries = integerAtLeast(optionPath(OWNER, 'maxEntries'), o.maxEntries ?? 1000, 1);
    if (this.tracing) {
      this.trace.emit('cache.declared', this.name, { ttl: this.ttlMs, maxEntries: this.maxEntries });
    }
  }

  /** Keys held (fresh or stale). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The fresh value of `key`, else the result of the load already running for it,
   * else of a new `load(signal)`. The load's signal aborts when every caller
   * waiting for it has aborted. A caller's abort rejects that caller at once.
   *
   * @example
   * ```ts
   * const answer = await answers.get(question, (signal) => llm.complete(question, { signal }));
   * ```
   */
  get(key: K, load: (signal: AbortSignal) => V | PromiseLike<V>, signal?: AbortSignal): Promise<V> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const entry = this.entries.get(key);
    const now = this.clock.now();
    if (entry !== undefined && now < entry.expiresAt) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (this.tracing) this.trace.emit('cache.hit', this.name, { key: String(key) });
      return Promise.resolve(entry.value);
    }
    let running = this.loads.get(key);
    if (running !== undefined) {
      if (this.tracing) this.trace.emit('cache.coalesced', this.name, { key: String(key) });
    } else {
      if (this.tracing) {
        this.trace.emit('cache.miss', this.name, { key: String(key), stale: entry !== undefined });
      }
      running = this.startLoad(key, load);
    }
    return this.wait(running, signal);
  }

  /**
   * The last value loaded for `key`, fresh or expired (`undefined` if none or evicted).
   *
   * @example
   * ```ts
   * fallback([['live', () => answers.get(q, load)], ['stale', () => answers.stale(q) ?? Promise.reject(new Error('none'))]]);
   * ```
   */
  stale(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.tracing) {
      this.trace.emit('cache.stale', this.name, {
        key: String(key),
        expired: this.clock.now() >= entry.expiresAt,
      });
    }
    return entry?.value;
  }

  /** Whether `key` holds a fresh value now. */
  has(key: K): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && this.clock.now() < entry.expiresAt;
  }

  /** Forgets `key` (a running load still completes and stores its value). */
  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Forgets every key. */
  clear(): void {
    this.entries.clear();
  }

  private startLoad(key: K, load: (signal: AbortSignal) => V | PromiseLike<V>): Load<V> {
    const controller = new AbortController();
    let result: V | PromiseLike<V>;
    try {
      result = load(controller.signal);
    } catch (error) {
      result = Promise.reject(error);
    }
    const promise = Promise.resolve(result).then(
      (value) => {
        this.loads.delete(key);
        this.store(key, value);
        return value;
      },
      (error: unknown) => {
        this.loads.delete(key);
        if (this.tracing)
          this.trace.emit('cache.load-failed', this.name, { key: String(key), error: errorData(error) });
        throw error;
      },
    );
    promise.catch(() => {}); // observed by the waiters; no unhandled rejection when all left
    const running: Load<V> = { promise, controller, waiters: 0 };
    this.loads.set(key, running);
    return running;
  }

  private store(key: K, value: V): void {
    const expiresAt = this.clock.now() + this.ttlMs;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    if (this.tracing) this.trace.emit('cache.stored', this.name, { key: String(key), expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
      if (this.tracing) this.trace.emit('cache.evicted', this.name, { key: String(oldest) });
    }
  }

  private wait(running: Load<V>, signal: AbortSignal | undefined): Promise<V> {
    running.waiters++;
    if (signal === undefined) return running.promise;
    return new Promise<V>((resolve, reject) => {
      const onAbort = () => {
        if (--running.waiters === 0) running.controller.abort(abortReason(signal));
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      running.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}

/**
 * Creates a read-through cache with a time-to-live on the clock.
 *
 * @example
 * ```ts
 * const answers = cache<string, string>({ ttl: '5m', maxEntries: 500 });
 * const text = await answers.get(prompt, (signal) => llm.complete(prompt, { signal }));
 * ```
 */
export function cache<K = string, V = unknown>(options: CacheOptions): Cache<K, V> {
  return new Cache<K, V>(options);
}

declare module '../trace/event-map.js' {
  interface TraceEventMap {
    'cache.declared': { readonly ttl: number; readonly maxEntries: number };
    'cache.hit': { readonly key: string };
    'cache.coalesced': { readonly key: string };
    /** No fresh value: a load starts; `stale` when an expired value is held. */
    'cache.miss': { readonly key: string; readonly stale: boolean };
    'cache.stored': { readonly key: string; readonly expiresAt: number };
    'cache.load-failed': { readonly key: string; readonly error: TracedError };
    'cache.evicted': { readonly key: string };
    'cache.stale': { readonly key: string; readonly expired: boolean };
  }
}

/**
 * The trace's contract: every event kind faultline emits, mapped to the shape of
 * its `data`. `TraceSink.emit` only accepts kinds listed here with their data,
 * and `trace.ofKind('breaker.state')` returns events whose `data` has that type;
 * invariants and matchers read the trace through these types.
 *
 * Adding a kind: a module that emits a new kind declares it next to its code by
 * declaration merging (then lists it in docs/trace.md):
 *
 * ```ts
 * declare module '../trace/event-map.js' {
 *   interface TraceEventMap {
 *     'bulkhead.rejected': { readonly active: number; readonly queued: number };
 *   }
 * }
 * ```
 *
 * Data values are plain JSON-able objects (they go into the canonical hash).
 * Write them as object literal types, not interfaces, so they stay assignable
 * to `Record<string, unknown>`.
 */

import type { RetryGiveUpReason } from '../errors/retry-exhausted-error.js';
import type { Seed } from '../random/random.js';

/** A circuit breaker's state as it appears in the trace. */
export type TracedBreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** An error as the resilience primitives trace it. */
export type TracedError = { readonly name: string; readonly message: string };

/** The event kinds and their data (see the module header to add one). */
export interface TraceEventMap {
  // kernel
  'sim.start': { readonly seed: Seed; readonly name: string | undefined; readonly until: number | undefined };
  'sim.end': {
    readonly outcome: 'ok' | 'failed' | 'stopped';
    readonly steps: number;
    readonly pendingTimers: number;
    readonly pendingTasks: number;
    readonly error: unknown;
  };
  /** Only with `simulate({ traceTimers: true })`. */
  'timer.fire': { readonly id: number; readonly kind: string; readonly delay: number };
  /** `sim.heal()`: the fault phase ends; liveness invariants are judged from here. */
  'sim.heal': Readonly<Record<string, never>> | undefined;
  'task.start': { readonly task: number };
  'task.end': { readonly task: number; readonly ok: boolean; readonly error?: unknown };

  // HTTP bridge
  'http.request': { readonly method: string; readonly url: string };
  'http.response': {
    readonly method: string;
    readonly url: string;
    readonly status: number;
    readonly ms: number;
  };
  'http.error': { readonly method: string; readonly url: string; readonly error: string };
  'http.unmatched': { readonly method: string; readonly url: string };

  // services
  'service.create': { readonly faults: readonly string[]; readonly concurrency?: number };
  'service.call': { readonly call: number };
  'service.end': {
    readonly call: number;
    readonly outcome: string;
    readonly status?: number;
    readonly latency: number;
    readonly fault?: string;
    readonly code?: string;
  };
  /** `effect` names what the fault did; the other keys depend on it (`status`, `delayMs`, `code`, …). */
  'fault.injected': {
    readonly call: number;
    readonly fault: string;
    readonly effect: string;
    readonly [detail: string]: unknown;
  };

  // agents, workloads, orchestration
  'agent.start': { readonly run: number };
  'agent.end': {
    readonly run: number;
    readonly ok: boolean;
    readonly durationMs: number;
    readonly error?: unknown;
  };
  'agent.fallback': { readonly run: number; readonly error: unknown };
  'request.start': { readonly i: number };
  'request.end': {
    readonly i: number;
    readonly outcome: 'success' | 'failure' | 'rejected';
    readonly error?: string;
  };
  /** The other keys depend on the mode (`agents`, `failureThreshold`, `key`, `agent`, …). */
  'orchestration.start': { readonly [detail: string]: unknown };
  'orchestration.end': {
    readonly status: string;
    readonly agents: number;
    readonly failed: readonly string[];
  };

  // circuit breaker. `phase` is the breaker's generation when the call was admitted
  // (it changes on every transition), so a trace alone tells late results apart.
  /** The breaker's normalized configuration, traced when it is created (durations in ms). */
  'breaker.declared': {
    readonly failureThreshold: number;
    readonly successThreshold: number;
    readonly timeout: number;
    readonly maxConcurrentCalls: number;
    readonly mode: 'consecutive' | 'rate';
    /** `eager`: a timer half-opens it at exactly openedAt + timeout; `lazy`: the first call after that does. */
    readonly halfOpen: 'eager' | 'lazy';
    readonly failureRateThreshold?: number;
    readonly minimumCalls?: number;
    readonly maxWaitInHalfOpen?: number;
    /** Rate mode: the window the rate is computed over (durations in ms); without it the opening is not judged. */
    readonly window?:
      | { readonly type: 'count'; readonly size: number }
      | { readonly type: 'time'; readonly duration: number }
      | { readonly type: 'buckets'; readonly duration: number; readonly buckets: number }
      | { readonly type: 'ring'; readonly buckets: number; readonly bucketDuration: number };
    /** Rate mode: `>=` (default) or `>` against `failureRateThreshold`. */
    readonly rateComparison?: '>=' | '>';
    /** Rate mode: `outcomes` (default: settled closed-state calls, cleared on close), `fires` (opossum: calls as made, failures as reported, never cleared) or `samples` (cockatiel: every success and failure, late and probe ones too, emptied at a probe's success). */
    readonly rateCounting?: 'outcomes' | 'fires' | 'samples';
    /** Granularity of the breaker's own clock in ms (1 for a `Date.now()` reader); default 0, exact. */
    readonly clockResolution?: number;
  };
  'breaker.admitted': { readonly state: TracedBreakerState; readonly phase: number; readonly probe?: number };
  'breaker.rejected': { readonly state: TracedBreakerState };
  'breaker.success': {
    readonly state: TracedBreakerState;
    readonly phase: number;
    readonly error?: TracedError;
  };
  'breaker.failure': {
    readonly state: TracedBreakerState;
    readonly phase: number;
    readonly error: TracedError;
    readonly consecutiveFailures?: number;
  };
  /** A call counted as neither success nor failure (a nested `BrokenCircuitError` by default). */
  'breaker.ignored': {
    readonly state: TracedBreakerState;
    readonly phase: number;
    readonly error: TracedError;
  };
  /** A result from a call admitted before the last transition: traced, changes no state. */
  'breaker.late': {
    readonly outcome: 'success' | 'failure' | 'ignored';
    readonly admittedIn: TracedBreakerState;
    readonly phase: number;
    readonly error?: TracedError;
  };
  'breaker.state': {
    readonly from: TracedBreakerState;
    readonly to: TracedBreakerState;
    readonly reason: string;
  };
  'breaker.listener-error': { readonly event: string; readonly error: TracedError };

  // retry. `call` numbers the policy's executions (concurrent ones interleave).
  /** The policy's normalized configuration, traced when it is created (durations in ms). */
  'retry.declared': {
    readonly maxRetries: number;
    readonly baseDelay: number;
    readonly maxDelay: number;
    readonly backoffFactor: number;
    readonly jitter: string;
    readonly jitterRatio: number;
    readonly maxRetryAfter?: number;
    /** `custom` when a `classify` or `shouldRetry` replaces the default classification. */
    readonly classify?: 'default' | 'custom';
  };
  'retry.attempt': { readonly call: number; readonly attempt: number };
  /** An attempt failed; `class` decides whether it is retried (absent when the caller had aborted). */
  'retry.failed': {
    readonly call: number;
    readonly attempt: number;
    readonly class?: 'transient' | 'rate-limited' | 'permanent';
    readonly reason?: string;
    readonly status?: number;
    readonly retryAfter?: number;
    readonly error: TracedError;
  };
  /** The caller's signal aborted while the execution was running. */
  'retry.abort': { readonly call: number };
  /** Traced before the sleep starts: `attempt` is the attempt made after `delay` ms (`backoff`: before Retry-After). */
  'retry.scheduled': {
    readonly call: number;
    readonly attempt: number;
    readonly delay: number;
    readonly backoff: number;
    readonly reason: string;
    readonly status?: number;
    readonly retryAfter?: number;
  };
  'retry.success': { readonly call: number; readonly attempts: number };
  'retry.gave-up': {
    readonly call: number;
    readonly attempts: number;
    readonly reason: RetryGiveUpReason | 'permanent' | 'aborted';
    readonly error: TracedError;
  };
  'retry.listener-error': { readonly event: string; readonly error: TracedError };

  // timeout
  'timeout.declared': { readonly timeout: number; readonly mode: 'aggressive' | 'cooperative' };
  'timeout.started': { readonly call: number; readonly timeout: number };
  'timeout.timed-out': { readonly call: number; readonly after: number };
  /** The caller's promise settled. */
  'timeout.end': { readonly call: number; readonly outcome: 'ok' | 'error' | 'timeout' };
}

/** The data of kind `K` with writable fields, for code that builds it key by key. */
export type DraftData<K extends TraceKind> = { -readonly [F in keyof TraceEventMap[K]]: TraceEventMap[K][F] };

/** Every event kind faultline knows. */
export type TraceKind = keyof TraceEventMap;

/** The data of events of kind `K`; any JSON-able object for a kind not in the map (a user's own). */
export type TraceData<K extends string> = K extends TraceKind
  ? TraceEventMap[K]
  : Readonly<Record<string, unknown>>;

/** An event of kind `K` with its typed data (a discriminated union when `K` is a union). */
export type TraceEventOf<K extends TraceKind> = K extends TraceKind
  ? {
      readonly seq: number;
      readonly t: number;
      readonly kind: K;
      readonly actor?: string;
      readonly data: TraceEventMap[K];
    }
  : never;

/** The kinds `ofKind(prefix)` matches: `prefix` itself and `prefix.*`. */
export type KindsMatching<P extends string> = Extract<TraceKind, P | `${P}.${string}`>;

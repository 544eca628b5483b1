/*
 * The `Fault` interface and the effects a fault decision produces. A fault is
 * data (its kind, a description) plus `start(random)`, which returns a decider
 * with its own state (call counters, rate-limit windows) for one service. The
 * decider sees one call at a time and returns effects; all randomness comes
 * from the stream it is given. Services turn effects into behaviour: delays,
 * hangs, HTTP errors, network errors, lost responses, malformed payloads,
 * broken or slow streams, semantically faulty LLM replies.
 */
import type { NetworkErrorCode } from '../errors/network-codes.js';
import type { Random } from '../random/random.js';

/**
 * Where in a call an effect acts, which is also its precedence: when several
 * faults fail the same call, the earliest stage wins (`transport` over `status`
 * over `response` over `stream` over `content`), ties go to the fault listed
 * first. `latency` effects never fail a call: their delays (and slow-stream
 * gaps) apply alongside whatever else happens.
 *
 * - `transport`: the request never reaches the handler (outage, flapping, hang, timeout, reset).
 * - `status`: the service answers with an HTTP error instead of doing the work (errors, rate limit, 529).
 * - `response`: the handler runs, then the caller sees a failure (response lost, malformed payload).
 * - `stream`: a streamed success breaks after some chunks (in-band error, stall, truncation).
 * - `content`: an LLM success whose meaning is faulty (finish reason, empty content, invalid tool call).
 * - `latency`: never fails a call (latency, slow streams, rate-limit bookkeeping).
 */
export type FaultStage = 'transport' | 'status' | 'response' | 'stream' | 'content' | 'latency';

/** What a decider sees for one call. */
export interface FaultContext {
  /** Schedule time of the call in ms: virtual time since the start of the run inside `simulate`. */
  readonly now: number;
  /** Wall-clock time of the call in epoch ms (for HTTP-date headers such as `Retry-After`). */
  readonly wallNow: number;
  /** Index of the call on this service, from 0, in arrival order. */
  readonly callIndex: number;
  /** This fault's seeded stream (forked per service and per fault). */
  readonly random: Random;
  /** The request as the service received it. */
  readonly request: unknown;
}

interface EffectBase {
  /** Kind of the fault that produced the effect (`'errors'`, `'outage'`, ...). */
  readonly fault: string;
  readonly stage: FaultStage;
}

/** Adds `ms` to the call's latency. */
export interface DelayEffect extends EffectBase {
  readonly type: 'delay';
  readonly ms: number;
}

/** The call never answers; only its abort signal ends it. */
export interface HangEffect extends EffectBase {
  readonly type: 'hang';
}

/** The connection fails without an HTTP status. */
export interface NetworkErrorEffect extends EffectBase {
  readonly type: 'network';
  readonly code: NetworkErrorCode;
  readonly message: string;
  /** Fail after this long instead of after the call's latency (server-side timeouts). */
  readonly afterMs?: number;
}

/** Rate-limit bookkeeping a provider turns into its own headers. */
export interface RateLimitInfo {
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the window resets. */
  readonly resetMs: number;
}

/** The service answers with an HTTP error. */
export interface StatusErrorEffect extends EffectBase {
  readonly type: 'status';
  readonly status: number;
  /** Provider-neutral error type (`'rate_limit_error'`, `'overloaded_error'`, `'insufficient_quota'`, `'api_error'`, ...). */
  readonly errorType: string;
  /** Name from the error catalog when the fault used one (`'prompt_too_long'`), for provider-specific codes. */
  readonly errorName?: string;
  readonly message: string;
  /** Lower-case response headers (`retry-after`, `retry-after-ms`, `x-should-retry`, ...). */
  readonly headers: Readonly<Record<string, string>>;
  /** Default body: `{ type: 'error', error: { type, message } }`. LLM services reshape it per provider. */
  readonly body: unknown;
  /** How long the server asked the caller to wait, when it said. */
  readonly retryAfterMs?: number;
  readonly rateLimit?: RateLimitInfo;
  /** Answer after this long instead of after the call's latency. */
  readonly afterMs?: number;
}

/** The handler runs (the work is applied) but the caller sees a failure. */
export interface ResponseLostEffect extends EffectBase {
  readonly type: 'response-lost';
  /** Network code the caller sees (default ECONNRESET), unless `status` is set. */
  readonly code: NetworkErrorCode;
  /** A gateway status (e.g. 502, 504) instead of a network error. */
  readonly status?: number;
}

/** A streamed success breaks after `afterChunks` content chunks. */
export interface StreamFaultEffect extends EffectBase {
  readonly type: 'stream';
  /** `error`: an in-band error event then the end; `stall`: no more data, never ends; `truncate`: ends without the terminal event. */
  readonly mode: 'error' | 'stall' | 'truncate';
  readonly afterChunks: number;
  /** For `error`: the error type of the in-band event (default `'overloaded_error'`). */
  readonly errorType?: string;
  readonly message?: string;
}

/** How a malformed payload is broken (see `faults.malformed`). */
export type MalformedKind = 'truncated-json' | 'wrong-shape' | 'empty' | 'html';

/** The handler runs, then the payload the caller receives is not the JSON it expects. */
export interface MalformedEffect extends EffectBase {
  readonly type: 'malformed';
  readonly kind: MalformedKind;
  /** HTTP status of the malformed reply (200, or e.g. 502 for a proxy's HTML page). */
  readonly status: number;
}

/** A streamed success whose chunks arrive `chunkGapMs` apart instead of at the service's speed. */
export interface SlowStreamEffect extends EffectBase {
  readonly type: 'slow-stream';
  readonly chunkGapMs: number;
}

/** What a content fault does to an LLM reply. */
export type ContentFaultMode = 'length' | 'content_filter' | 'empty' | 'invalid-tool-call';

/**
 * An LLM success whose content is faulty: cut with finish reason `length` or
 * `content_filter`, empty, or a tool call with invalid JSON arguments. Services
 * that are not LLMs ignore it.
 */
export interface ContentFaultEffect extends EffectBase {
  readonly type: 'content';
  readonly mode: ContentFaultMode;
}

/** Rate-limit bookkeeping of an admitted call (never fails it): LLM services turn it into headers. */
export interface QuotaEffect extends EffectBase {
  readonly type: 'quota';
  readonly rateLimit: RateLimitInfo;
}

export type FaultEffect =
  | DelayEffect
  | HangEffect
  | NetworkErrorEffect
  | StatusErrorEffect
  | ResponseLostEffect
  | StreamFaultEffect
  | MalformedEffect
  | SlowStreamEffect
  | ContentFaultEffect
  | QuotaEffect;

/** Effects that fail a call (at most one applies per call). */
export type FailureEffect = HangEffect | NetworkErrorEffect | StatusErrorEffect;

/** One started fault: its decisions for one service. */
export interface FaultDecider {
  /** What this instance does (for `swarm`, the mix this seed picked). */
  readonly description: string;
  /** Decides one call. Returns the effects to apply (often none). */
  decide(context: FaultContext): readonly FaultEffect[];
}

/**
 * A fault: pure data plus a seeded decision function. Build them with the
 * `faults` catalog; a service starts each one with its own stream.
 *
 * @example
 * ```ts
 * const decider = faults.errors({ rate: 0.1, status: 503 }).start(random);
 * decider.decide({ now: 0, wallNow: 0, callIndex: 0, random, request: {} }); // [] or [status effect]
 * ```
 */
export interface Fault {
  /** Catalog name: `'errors'`, `'latency'`, `'outage'`, ... */
  readonly kind: string;
  /** Parameters in words, e.g. `errors(rate=0.05, status=503)`. */
  readonly description: string;
  /** Starts an independent instance (its own counters and windows) drawing from `random`. */
  start(random: Random): FaultDecider;
}

/** True when `value` looks like a `Fault`. */
export function isFault(value: unknown): value is Fault {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Fault).kind === 'string' &&
    typeof (value as Fault).start === 'function'
  );
}

/**
 * Builds a `Fault` whose decider description is the fault's own. `start`
 * returns the decision function of one instance (state lives in its closure).
 */
export function defineFault(
  kind: string,
  description: string,
  start: (random: Random) => FaultDecider['decide'],
): Fault {
  return { kind, description, start: (random) => ({ description, decide: start(random) }) };
}

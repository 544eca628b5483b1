/*
 * The interface every LLM provider's wire format implements (`openai.ts`,
 * `anthropic.ts`), and the parts of a reply that are the same for all of them
 * (content type, where the request id goes, SSE framing). The LLM service
 * knows providers only through this interface: adding one is a file with an
 * object implementing it plus a line in `providers.ts`.
 */
import type { Completion } from './completion.js';
import type { ProviderLimits, QuotaState, RateLimitWindow } from './quota.js';
import type { LlmRequest } from './request.js';

/**
 * An HTTP error as a wire format shapes it (a fault's status effect, or a bad
 * request). Declared here so that wire formats do not depend on the fault types.
 */
export interface LlmError {
  readonly status: number;
  /** Provider-neutral error type (`'rate_limit_error'`, `'insufficient_quota'`, `'api_error'`, ...). */
  readonly errorType: string;
  /** Name from the error catalog when a fault used one (`'prompt_too_long'`). */
  readonly errorName?: string;
  readonly message: string;
  /** Lower-case headers the error already carries (`retry-after`, `x-should-retry`, ...): kept. */
  readonly headers: Readonly<Record<string, string>>;
  /** How long the server asked the caller to wait, when it said. */
  readonly retryAfterMs?: number;
  /** The rate-limit window state of a 429 from `faults.rateLimit`. */
  readonly rateLimit?: RateLimitWindow;
}

/** One server-sent event: optional event name and JSON data (or OpenAI's `[DONE]`). */
export interface StreamEvent<Data = unknown> {
  readonly event?: string;
  readonly data: Data;
  /** An in-band error event. */
  readonly error?: boolean;
  /** `data` is raw text that does not parse (`faults.malformed` in a stream). */
  readonly malformed?: boolean;
}

/** The events of a stream: sent before the first token, per token, and after the last. */
export interface StreamShape<Chunk = unknown> {
  readonly prelude: readonly StreamEvent<Chunk>[];
  token(text: string): StreamEvent<Chunk>;
  readonly terminal: readonly StreamEvent[];
  /** The in-band error event of a `faults.streamError`. */
  error(errorType: string, message: string): StreamEvent;
}

/**
 * One LLM provider's wire format: what its success bodies, stream events,
 * errors, headers and ids look like. `Body` is the parsed success body,
 * `Chunk` a parsed stream item (what `call()` gives the caller).
 */
export interface LlmWireFormat<Body = unknown, Chunk = unknown> {
  /** The `provider` option value that selects this format (`'openai'`). */
  readonly name: string;
  /** Model reported when neither the request nor the service's `model` option names one. */
  readonly defaultModel: string;
  /** Prefixes of generated ids: the completion's (`chatcmpl-`) and a tool call's (`call_`). */
  readonly idPrefix: { readonly completion: string; readonly toolCall: string };
  /** Header that carries the request id of every reply (`x-request-id`). */
  readonly requestIdHeader: string;
  /** Limits advertised when no `faults.rateLimit` says otherwise (per minute). */
  readonly limits: ProviderLimits;
  /** The non-streamed success body. */
  successBody(c: Completion): Body;
  /** The stream events of a completion (`request` for stream options such as OpenAI's `include_usage`). */
  streamEvents(c: Completion, request: LlmRequest): StreamShape<Chunk>;
  /** Rate-limit headers of a success. */
  rateLimitHeaders(quota: QuotaState): Record<string, string>;
  /** Headers an HTTP error adds besides the content type, request id and the effect's own (rate-limit state of a 429). */
  errorHeaders(error: LlmError, wallNow: number): Record<string, string>;
  /** The body of an HTTP error. */
  errorBody(error: LlmError, requestId: string): unknown;
  /**
   * A wrong-shaped body or stream item for `faults.malformed`: valid JSON
   * without the field a client reads (see `withoutKeys`).
   */
  wrongShape(data: unknown): unknown;
}

/** `data` without `keys` (a non-object becomes `{ unexpected: data }`): the usual `wrongShape`. */
export function withoutKeys(data: unknown, keys: readonly string[]): unknown {
  if (typeof data !== 'object' || data === null) return { unexpected: data };
  return Object.fromEntries(Object.entries(data).filter(([key]) => !keys.includes(key)));
}

/** Success headers; with `quota`, the format's rate-limit headers too. */
export function successHeaders(
  format: LlmWireFormat,
  requestId: string,
  streaming: boolean,
  quota?: QuotaState,
): Record<string, string> {
  const headers: Record<string, string> = streaming
    ? { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }
    : { 'content-type': 'application/json' };
  headers[format.requestIdHeader] = requestId;
  if (quota) Object.assign(headers, format.rateLimitHeaders(quota));
  return headers;
}

/**
 * Format-shaped headers and body for an HTTP error. The error's own headers
 * (`retry-after`, `retry-after-ms`, `x-should-retry`) are kept, after the format's.
 */
export function errorReply(
  format: LlmWireFormat,
  effect: LlmError,
  wallNow: number,
  requestId: string,
): { headers: Record<string, string>; body: unknown } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  headers[format.requestIdHeader] = requestId;
  Object.assign(headers, format.errorHeaders(effect, wallNow), effect.headers);
  return { headers, body: format.errorBody(effect, requestId) };
}

/** One SSE frame. */
export function serializeEvent(e: StreamEvent): string {
  const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
  return e.event === undefined ? `data: ${data}\n\n` : `event: ${e.event}\ndata: ${data}\n\n`;
}

/*
 * How faultline's mock services speak HTTP, in the bridge's vocabulary
 * (`HttpRequest` / `HttpReply` from `target.ts`): the narrower reply they give,
 * per-call options, and small helpers to build replies. A network-level failure
 * is not a reply: `respond` rejects with a `ServiceError` whose `code` is set
 * (e.g. `ECONNRESET`) and `status` is undefined.
 */
import type { HttpReply } from './target.js';

/**
 * The reply a faultline mock service gives: an `HttpReply` whose header keys are
 * lower case and whose body is text, or an async iterable of chunks for streamed
 * (SSE) responses; chunks arrive on the service's clock. Cancelling the
 * iteration (`return()`) ends the stream at once.
 */
export interface ServiceReply extends HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | AsyncIterable<Uint8Array | string>;
}

/** Per-call options of `call` and `respond`. */
export interface CallOptions {
  /** Aborting rejects the call at once with the signal's reason. */
  signal?: AbortSignal;
}

/** A JSON reply. */
export function jsonReply(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): ServiceReply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body ?? null),
  };
}

/** The request body parsed as JSON when it is JSON, else the raw text; undefined when empty. */
export function parseBody(body: string | null | undefined): unknown {
  if (body == null || body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

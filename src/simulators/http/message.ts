/*
 * The HTTP-level contract between mock services and the HTTP bridge: the
 * request a service receives (`HttpRequest`) and the reply it gives
 * (`HttpReply`), plus small helpers to build replies. A network-level failure
 * is not a reply: `respond` rejects with a `ServiceError` whose `code` is set
 * (e.g. `ECONNRESET`) and `status` is undefined.
 */

/** An HTTP request as the bridge hands it to a service. */
export interface HttpRequest {
  readonly method: string;
  /** Absolute URL or path, e.g. `https://api.openai.com/v1/chat/completions`. */
  readonly url: string;
  /** Request headers (any key case). */
  readonly headers: Readonly<Record<string, string>>;
  /** Request body as text; undefined or null when there is none. */
  readonly body?: string | null;
}

/**
 * An HTTP reply. `body` is text, or an async iterable of chunks for streamed
 * (SSE) responses; chunks arrive on the service's clock. Cancelling the
 * iteration (`return()`) ends the stream at once. Header keys are lower-case.
 */
export interface HttpReply {
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
): HttpReply {
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

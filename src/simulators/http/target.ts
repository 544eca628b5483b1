/*
 * What the HTTP bridge can route a base URL to, as structural types: a simulated
 * service (anything with `name` and `respond`), a list of msw request handlers,
 * or a plain `(request) => Response` function. Also the two ways a target fails:
 * an HTTP error reply (`status`, optional `headers`/`body`) or a network error
 * (a string `code` such as `ECONNRESET`). Structural, so mock services need not
 * import the bridge and the bridge need not import them.
 */

import type { RequestHandler, WebSocketHandler } from 'msw';

/** A request as a simulated service sees it: header names lower case, body as text. */
export interface HttpRequest {
  /** Upper-case method, e.g. `'POST'`. */
  readonly method: string;
  /** Full URL, query included. */
  readonly url: string;
  /** Header names lower case; repeated headers joined with `, ` (as `Headers` does). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text; `undefined` for a request without a body. */
  readonly body: string | undefined;
}

/**
 * A response body: text, bytes, a stream of chunks (each chunk reaches the client
 * when the iterable yields it, so a generator that sleeps between chunks streams
 * on the virtual clock), or any other value, sent as JSON.
 */
export type HttpBody = string | Uint8Array | AsyncIterable<Uint8Array | string> | object | null | undefined;

/** Header values as `Headers` takes them, or a record with repeated values as arrays. */
export type HttpHeaders = HeadersInit | Readonly<Record<string, string | readonly string[]>>;

/** What a target answers: a status, and optionally headers and a body. */
export interface HttpReply {
  status: number;
  headers?: HttpHeaders;
  body?: HttpBody;
}

/**
 * A simulated service the bridge can route to. `respond` resolves to a reply or
 * rejects with an error that either carries a numeric `status` (sent as that HTTP
 * response) or a string `code` (a network error: the fetch rejects with
 * `TypeError('fetch failed', { cause })`). `signal` aborts when the client aborts
 * the request or cancels the response body.
 *
 * @example
 * ```ts
 * const echo: HttpTarget = {
 *   name: 'echo',
 *   async respond(req, { signal }) {
 *     await sim.sleep('200ms', signal);
 *     return { status: 200, headers: { 'content-type': 'text/plain' }, body: req.body ?? '' };
 *   },
 * };
 * sim.http('https://echo.test', echo);
 * ```
 */
export interface HttpTarget {
  readonly name: string;
  respond(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpReply>;
}

/** A plain function answering a standard `Request`. */
export type HttpHandlerFunction = (request: Request) => Response | Promise<Response>;

/**
 * Everything `sim.http(baseUrl, target)` accepts. A list of msw handlers may hold
 * WebSocket handlers too (as `server.listHandlers()` returns them); HTTP requests
 * only meet the request handlers.
 */
export type HttpRouteTarget =
  | HttpTarget
  | HttpHandlerFunction
  | RequestHandler
  | readonly (RequestHandler | WebSocketHandler)[];

/** An error a target rejects with to send an HTTP error response (a `ServiceError` with a status). */
export interface HttpErrorReply {
  status: number;
  headers?: HttpHeaders;
  body?: HttpBody;
}

/** True for a rejection that stands for an HTTP response (it has a numeric `status`). */
export function isHttpErrorReply(error: unknown): error is HttpErrorReply {
  return (
    typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
  );
}

/** True for something shaped like an `HttpTarget`. */
export function isHttpTarget(value: unknown): value is HttpTarget {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { respond?: unknown }).respond === 'function'
  );
}

/** True for an msw WebSocket handler (`ws.link(url)`). */
export function isWebSocketHandler(value: unknown): value is WebSocketHandler {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'websocket';
}

/** True for something shaped like an msw request handler. */
export function isRequestHandler(value: unknown): value is RequestHandler {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { run?: unknown }).run === 'function' &&
    typeof (value as { info?: unknown }).info === 'object' &&
    (value as { kind?: unknown }).kind !== 'websocket'
  );
}

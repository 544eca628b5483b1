/*
 * `node:http` / `node:https` clients (axios, got, older SDKs, `http.get`)
 * answered by the HTTP bridge. msw's own engine, `@mswjs/interceptors`'
 * `ClientRequestInterceptor`, swaps each request's agent for one whose sockets
 * live in memory; the request it parses is handed to the bridge's `fetch` (same
 * routing, faults, virtual time and trace as `fetch`), and the bridge's
 * response is written back to the client as an HTTP message. A request the
 * bridge refuses fails with the bridge's error (`UnmatchedRequestError`, or the
 * target's network error such as `ECONNRESET`) as the request's `'error'`
 * event, the way a refused connection surfaces. Nothing reaches a real socket.
 *
 * The interceptor wraps `node:http`'s functions as they are when it is applied;
 * if msw's `setupServer` has already wrapped them, its wrappers would answer
 * first. So for the run the module functions are set to Node's own (built on
 * `_http_client`'s `ClientRequest`), the interceptor wraps those, and
 * afterwards every touched property (the module functions, and the `Headers`,
 * `Request`, `Response` globals the interceptor records raw headers through)
 * is put back exactly as it was, msw's wrappers included.
 */

import http from 'node:http';
import https from 'node:https';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { FetchRequest, FetchResponse, getRawRequest, type RequestController } from '@mswjs/interceptors';
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';

const require = createRequire(import.meta.url);
const NodeClientRequest = (require('node:_http_client') as typeof http).ClientRequest;

type Args = ConstructorParameters<typeof http.ClientRequest>;

/** Node's own `request`/`get`: the interceptor calls them with normalized `(url, options, callback)`. */
const nodeRequest = (...args: Args) => new NodeClientRequest(...args);
const nodeGet = (...args: Args) => {
  const request = new NodeClientRequest(...args);
  request.end();
  return request;
};

/**
 * Routes every `node:http` / `node:https` client request to `fetchImpl` until
 * the returned function is called, which restores every property it touched.
 * The caller syncs ESM named imports (`syncBuiltinESMExports()`) after both.
 *
 * The interceptor is applied lazily: until the run's first `node:http` client
 * call, the module functions are stand-ins that apply it, sync ESM named
 * imports, and forward the call. Applying it costs more than a whole short
 * simulation, and most runs never use `node:http`.
 *
 * @example
 * ```ts
 * const restore = interceptNodeHttp(bridge.fetch);
 * try { http.get('http://svc.test/x', (res) => res.resume()) } finally { restore() }
 * ```
 */
export function interceptNodeHttp(fetchImpl: typeof globalThis.fetch): () => void {
  const restoreProperties = saveProperties();
  let interceptor: ClientRequestInterceptor | undefined;
  let ended = false;
  const apply = () => {
    if (interceptor || ended) return;
    Object.assign(http, { ClientRequest: NodeClientRequest, request: nodeRequest, get: nodeGet });
    Object.assign(https, { request: nodeRequest, get: nodeGet });
    interceptor = new ClientRequestInterceptor();
    // A private symbol: msw's running interceptor (a global symbol) must be neither reused nor disposed.
    (interceptor as unknown as { symbol: symbol }).symbol = Symbol('faultline.client-request-interceptor');
    interceptor.apply();
    interceptor.on('request', ({ request, controller }) => answer(fetchImpl, request, controller));
    syncBuiltinESMExports();
  };
  function ClientRequest(this: unknown, ...args: Args): http.ClientRequest {
    apply();
    return Reflect.construct(http.ClientRequest, args, new.target ?? http.ClientRequest);
  }
  ClientRequest.prototype = NodeClientRequest.prototype;
  const forward =
    (module: typeof http | typeof https, name: 'request' | 'get') =>
    (...args: unknown[]) => {
      apply();
      return (module[name] as (...a: unknown[]) => http.ClientRequest)(...args);
    };
  try {
    Object.assign(http, { ClientRequest, request: forward(http, 'request'), get: forward(http, 'get') });
    Object.assign(https, { request: forward(https, 'request'), get: forward(https, 'get') });
  } catch (error) {
    restoreProperties();
    throw error;
  }
  return () => {
    ended = true;
    try {
      interceptor?.dispose();
    } finally {
      restoreProperties();
    }
  };
}

async function answer(fetchImpl: typeof globalThis.fetch, request: Request, controller: RequestController) {
  const client = getRawRequest(request) as http.ClientRequest | undefined;
  const link = new AbortController();
  // The client destroyed its request (a timeout, `req.destroy()`): the target's signal aborts too.
  const onClose = () => link.abort(new DOMException('The request was aborted', 'AbortError'));
  client?.once('close', onClose);
  let response: Response;
  try {
    response = await fetchImpl(request, { signal: link.signal });
  } catch (error) {
    client?.off('close', onClose);
    controller.errorWith(connectionError(error));
    return;
  }
  controller.respondWith(response);
}

/** The error a `node:http` client sees: the cause of the bridge's `TypeError('fetch failed')`. */
function connectionError(error: unknown): Error {
  const cause =
    error instanceof TypeError && error.message === 'fetch failed' && error.cause !== undefined
      ? error.cause
      : error;
  return cause instanceof Error ? cause : new Error(String(cause));
}

/** Saves every property the interception touches; the returned function puts each back exactly. */
function saveProperties(): () => void {
  const g = globalThis as Record<string, unknown>;
  const headersClass = g.Headers as object;
  const headersProto = Headers.prototype as unknown as Record<string, unknown>;
  const targets: [Record<string | symbol, unknown>, string | symbol][] = [
    [http as never, 'ClientRequest'],
    [http as never, 'request'],
    [http as never, 'get'],
    [https as never, 'request'],
    [https as never, 'get'],
    [g, 'Headers'],
    [g, 'Request'],
    [g, 'Response'],
    [headersProto, 'set'],
    [headersProto, 'append'],
    [headersProto, 'delete'],
    // The interceptor marks a patched `Headers` with a symbol of its own.
    ...Object.getOwnPropertySymbols(headersClass).map((s) => [headersClass as never, s] as [never, symbol]),
  ];
  const saved = targets.map(
    ([object, key]) => [object, key, Object.getOwnPropertyDescriptor(object, key)] as const,
  );
  const headerSymbols = new Set(Object.getOwnPropertySymbols(headersClass));
  const protos = [FetchRequest, FetchRequest.prototype, FetchResponse, FetchResponse.prototype].map(
    (object) => [object, Object.getPrototypeOf(object) as object | null] as const,
  );
  return () => {
    for (const s of Object.getOwnPropertySymbols(headersClass)) {
      if (!headerSymbols.has(s)) Reflect.deleteProperty(headersClass, s);
    }
    for (const [object, key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(object, key, descriptor);
      else Reflect.deleteProperty(object, key);
    }
    for (const [object, proto] of protos) Object.setPrototypeOf(object, proto);
  };
}

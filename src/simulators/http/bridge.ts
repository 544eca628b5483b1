/*
 * The HTTP bridge: a `fetch` that answers from simulated services instead of
 * the network, so unmodified fetch-based code (the openai and Anthropic SDKs
 * included) meets simulated latency and faults on the virtual clock.
 *
 * Requests are routed by base URL (longest match wins) to a simulated service
 * (`HttpTarget`), to msw request handlers (resolved with msw's `getResponse`,
 * without msw's interceptor, whose cloned responses never finish cancelling),
 * or to a plain `(request) => Response` function. Every body handed out is a
 * fresh stream whose `cancel()` settles at once (http-body.ts): SDKs cancel
 * the body of each retryable error response before retrying. A request no route answers
 * is rejected as a connection error naming the URL and the routed base URLs,
 * and traced: a simulation never reaches the real network.
 *
 * Everything happens on microtasks and virtual timers (msw's `delay()` calls
 * the virtual `setTimeout`), never on real I/O, so the kernel sees a quiet
 * system and virtual time advances exactly by the simulated latency.
 */

import type { RequestHandler } from 'msw';
import { ConfigError } from '../../errors/config-error.js';
import { UnmatchedRequestError } from '../../errors/unmatched-request-error.js';
import { abortable, abortReason } from '../../time/abort.js';
import type { Clock } from '../../time/clock.js';
import type { TraceSink } from '../../trace/event.js';
import { addGetters } from '../live-getters.js';
import {
  type BodyEnd,
  detachedBody,
  hasNoBody,
  isJsonBody,
  type OnBodyEnd,
  replyBody,
  toHeaders,
} from './body.js';
import type { MswResolver } from './msw-handlers.js';
import {
  type HttpReply,
  type HttpRequest,
  type HttpRouteTarget,
  isHttpErrorReply,
  isHttpTarget,
  isRequestHandler,
  isWebSocketHandler,
} from './target.js';

/** What the bridge needs from its simulation: where to trace, and the clock that stamps latencies. */
export interface HttpBridgeContext {
  trace: TraceSink;
  clock: Clock;
  /**
   * The user's msw handlers (`listeningMswHandlers()` when the run starts):
   * they answer requests no route matches, traced with actor `msw`.
   */
  msw?: MswResolver | undefined;
}

/** A request the bridge refused because nothing answered it. */
export interface UnmatchedRequest {
  readonly method: string;
  readonly url: string;
  /** How many times it was refused. */
  readonly count: number;
}

const MAX_UNMATCHED = 100;

/** A registered route; `remove()` unregisters it (requests already made are unaffected). */
export interface HttpRoute {
  /** The normalized base URL: origin plus path, no trailing slash. */
  readonly baseUrl: string;
  /** The actor of this route's trace events: the target's name, else the base URL. */
  readonly actor: string;
  remove(): void;
}

/** A `fetch` answered by simulated services, and the routes it answers from. */
export interface HttpBridge {
  /**
   * Routes every request whose URL starts with `baseUrl` (on a path-segment
   * boundary) to `target`. The longest matching base URL wins; registering the
   * same base URL twice is a `ConfigError`.
   */
  route(baseUrl: string, target: HttpRouteTarget): HttpRoute;
  /** The bridged `fetch`, a drop-in for `globalThis.fetch`. */
  readonly fetch: typeof globalThis.fetch;
  /** The routed base URLs, in registration order. */
  readonly routes: readonly string[];
  /** Requests whose response headers have not arrived yet. */
  readonly inFlight: number;
  /** Distinct requests (method and URL) refused as unmatched so far, in order, with how often (first 100). */
  readonly unmatched: readonly UnmatchedRequest[];
}

/** What a route produced: a reply from a target, a standard response, or nothing (no handler matched). */
type Outcome = { reply: HttpReply } | { response: Response } | undefined;

interface Route {
  readonly base: string;
  readonly actor: string;
  dispatch(request: Request, signal: AbortSignal): Promise<Outcome>;
}

/**
 * Creates the HTTP bridge of one simulation. Its `fetch` replaces
 * `globalThis.fetch` while the simulation runs; `sim.http(baseUrl, target)` is
 * `route`.
 *
 * Trace events (actor: the route's actor): `http.request` `{ method, url }`;
 * `http.response` `{ method, url, status, ms }` when the headers arrive (`ms`:
 * virtual milliseconds since the request); `http.error` `{ method, url, error }`
 * when the request fails (a network error `code`, `AbortError`, else the
 * error's name and message); `http.unmatched` `{ method, url }` (no actor when
 * no base URL matched). Redirects are handed to the client as they are (Node's
 * own fetch, reaching the bridge through the dispatcher, follows them itself).
 *
 * @example
 * ```ts
 * const bridge = createHttpBridge({ trace: sim.trace, clock: sim.clock });
 * bridge.route('https://api.openai.com/v1', [
 *   http.post('https://api.openai.com/v1/chat/completions', async () => {
 *     await delay(2000);
 *     return HttpResponse.json({ choices: [] });
 *   }),
 * ]);
 * await bridge.fetch('https://api.openai.com/v1/chat/completions', { method: 'POST' }); // 2 virtual s later
 * ```
 */
export function createHttpBridge(ctx: HttpBridgeContext): HttpBridge {
  const { trace, clock } = ctx;
  const routes: Route[] = [];
  const unmatchedByKey = new Map<string, { method: string; url: string; count: number }>();
  const refuse = (method: string, url: string) => {
    const key = `${method} ${url}`;
    const seen = unmatchedByKey.get(key);
    if (seen) seen.count++;
    else if (unmatchedByKey.size < MAX_UNMATCHED) unmatchedByKey.set(key, { method, url, count: 1 });
  };
  const fallback = ctx.msw && mswRoute(ctx.msw);
  let inFlight = 0;

  function route(baseUrl: string, target: HttpRouteTarget): HttpRoute {
    const base = normalizeBase(baseUrl);
    if (routes.some((r) => r.base === base)) {
      throw new ConfigError(
        'sim.http(baseUrl)',
        baseUrl,
        `a base URL not routed yet (${base} already is; remove() the earlier route first)`,
      );
    }
    const entry = makeRoute(base, target);
    routes.push(entry);
    return {
      baseUrl: base,
      actor: entry.actor,
      remove() {
        const i = routes.indexOf(entry);
        if (i >= 0) routes.splice(i, 1);
      },
    };
  }

  function match(url: string): Route | undefined {
    const parsed = new URL(url);
    const bare = parsed.origin + parsed.pathname;
    let best: Route | undefined;
    for (const r of routes) {
      if ((bare === r.base || bare.startsWith(`${r.base}/`)) && (!best || r.base.length > best.base.length))
        best = r;
    }
    return best;
  }

  const bases = () => routes.map((r) => r.base);

  async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (callerSignal?.aborted) throw abortReason(callerSignal);
    const link = new AbortController();
    const request = new Request(input, { ...init, signal: link.signal });
    const { method, url } = request;
    const r = match(url) ?? fallback;
    if (!r) {
      trace.emit('http.unmatched', undefined, { method, url });
      refuse(method, url);
      throw fetchFailed(new UnmatchedRequestError(method, url, bases()));
    }
    const onCallerAbort = () => link.abort(abortReason(callerSignal!));
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const release = () => callerSignal?.removeEventListener('abort', onCallerAbort);
    const fail = (error: unknown): never => {
      release();
      if (link.signal.aborted) {
        trace.emit('http.error', r.actor, { method, url, error: 'AbortError' });
        throw abortReason(link.signal);
      }
      trace.emit('http.error', r.actor, { method, url, error: errorLabel(error) });
      throw fetchFailed(error);
    };

    trace.emit('http.request', r.actor, { method, url });
    const startedAt = clock.now();
    let outcome: Outcome;
    inFlight++;
    try {
      outcome = await abortable(r.dispatch(request, link.signal), link.signal, discard);
    } catch (error) {
      return fail(error);
    } finally {
      inFlight--;
    }

    if (outcome === undefined) {
      release();
      trace.emit('http.unmatched', r.actor, { method, url });
      refuse(method, url);
      const reason =
        r === fallback
          ? 'no sim.http route matches, and no listening msw handler answers it'
          : `no handler routed at ${r.base} matches`;
      throw fetchFailed(new UnmatchedRequestError(method, url, bases(), reason));
    }
    const onEnd = (how: BodyEnd, reason?: unknown) => {
      release();
      if (how === 'cancelled')
        link.abort(reason ?? new DOMException('The response body was cancelled', 'AbortError'));
    };

    if ('response' in outcome) {
      const source = outcome.response;
      if (source.type === 'error') return fail(new Error(`${r.actor} answered with Response.error()`));
      if (source.headers.get('x-msw-intention') === 'passthrough') {
        release();
        discard(outcome);
        trace.emit('http.unmatched', r.actor, { method, url });
        refuse(method, url);
        throw fetchFailed(
          new UnmatchedRequestError(method, url, bases(), 'passthrough() asks for the real network'),
        );
      }
    }

    let response: Response;
    try {
      response =
        'reply' in outcome
          ? fromReply(outcome.reply, method, link.signal, onEnd)
          : fromResponse(outcome.response, method, link.signal, onEnd);
    } catch (error) {
      // An invalid reply, e.g. a status outside 200–599.
      return fail(error);
    }
    if (response.body === null) release();
    Object.defineProperty(response, 'url', { value: url });
    trace.emit('http.response', r.actor, {
      method,
      url,
      status: response.status,
      ms: clock.now() - startedAt,
    });
    return response;
  }

  return addGetters(
    { route, fetch },
    {
      routes: () => bases(),
      inFlight: () => inFlight,
      unmatched: () => [...unmatchedByKey.values()].map((u) => ({ ...u })),
    },
    'HTTP bridge',
  ) as HttpBridge;
}

/** The route of last resort: the msw handlers listening when the run started. */
function mswRoute(resolve: MswResolver): Route {
  return {
    base: '',
    actor: 'msw',
    async dispatch(request) {
      const outcome = await resolve(request);
      if (outcome === undefined) return undefined;
      if ('response' in outcome) return { response: outcome.response };
      // msw's onUnhandledRequest: 'error' refuses the request with an InternalError: still unmatched.
      if ((outcome.error as { name?: unknown } | null)?.name === 'InternalError') return undefined;
      throw outcome.error;
    },
  };
}

/** A `Response` for a target's reply; a string body defaults to text/plain, a value to JSON. */
function fromReply(reply: HttpReply, method: string, signal: AbortSignal, onEnd: OnBodyEnd): Response {
  const { status, body } = reply;
  const headers = toHeaders(reply.headers);
  if (!headers.has('content-type')) {
    if (typeof body === 'string') headers.set('content-type', 'text/plain;charset=UTF-8');
    else if (isJsonBody(body)) headers.set('content-type', 'application/json');
  }
  const stream = hasNoBody(status, method) ? null : replyBody(body, signal, onEnd);
  return new Response(stream, { status, headers });
}

/** A copy of `source` whose body cancels at once and follows `signal` (see http-body.ts). */
function fromResponse(source: Response, method: string, signal: AbortSignal, onEnd: OnBodyEnd): Response {
  const keep = source.body !== null && !hasNoBody(source.status, method);
  if (!keep) source.body?.cancel().catch(() => {});
  const stream = keep ? detachedBody(source.body!, signal, onEnd) : null;
  return new Response(stream, {
    status: source.status,
    statusText: source.statusText,
    headers: source.headers,
  });
}

function makeRoute(base: string, target: HttpRouteTarget): Route {
  if (typeof target === 'function') {
    return {
      base,
      actor: base,
      async dispatch(request) {
        let response: unknown;
        try {
          response = await target(request);
        } catch (thrown) {
          // msw's convention: a thrown Response is the response.
          if (thrown instanceof Response) return { response: thrown };
          throw thrown;
        }
        if (!(response instanceof Response)) {
          throw new ConfigError(`sim.http("${base}", handler)`, response, 'the handler to return a Response');
        }
        return { response };
      },
    };
  }
  if (
    isRequestHandler(target) ||
    (Array.isArray(target) &&
      target.some(isRequestHandler) &&
      target.every((h) => isRequestHandler(h) || isWebSocketHandler(h)))
  ) {
    const handlers: RequestHandler[] = Array.isArray(target)
      ? target.filter(isRequestHandler)
      : [target as RequestHandler];
    const resolutionContext = { baseUrl: `${base}/` };
    // msw is loaded only here, for handlers whose author has loaded it already: evaluating
    // msw reads `localStorage`, which Node 25+ answers with an ExperimentalWarning (no
    // --localstorage-file), and faultline must not print that to everyone who imports it.
    const msw = import('msw');
    msw.catch(() => {});
    return {
      base,
      actor: base,
      async dispatch(request) {
        const { getResponse } = await msw;
        const response = await getResponse(handlers, request, resolutionContext);
        return response ? { response } : undefined;
      },
    };
  }
  if (isHttpTarget(target)) {
    return {
      base,
      actor: target.name || base,
      async dispatch(request, signal) {
        const seen: HttpRequest = {
          method: request.method,
          url: request.url,
          headers: headerRecord(request.headers),
          body: request.body === null ? undefined : await request.text(),
        };
        try {
          return { reply: await target.respond(seen, { signal }) };
        } catch (error) {
          if (isHttpErrorReply(error) && !signal.aborted) return { reply: error };
          throw error;
        }
      },
    };
  }
  throw new ConfigError(
    'sim.http(baseUrl, target)',
    target,
    'a simulated service ({ name, respond }), msw request handlers, or a function (request) => Response',
  );
}

function normalizeBase(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ConfigError(
      'sim.http(baseUrl)',
      baseUrl,
      'an absolute http(s) URL such as "https://api.openai.com/v1"',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError('sim.http(baseUrl)', baseUrl, 'an http: or https: URL');
  if (parsed.search || parsed.hash || parsed.username || parsed.password)
    throw new ConfigError('sim.http(baseUrl)', baseUrl, 'a URL without query, fragment or credentials');
  return (parsed.origin + parsed.pathname).replace(/\/+$/, '');
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** What undici rejects with when a connection fails: SDKs read this as a connection error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function errorLabel(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function discard(outcome: Outcome): void {
  if (outcome && 'response' in outcome) outcome.response.body?.cancel().catch(() => {});
}

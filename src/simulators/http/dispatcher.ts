/*
 * The undici dispatcher a simulation installs in place of Node's global one.
 * Node's built-in `fetch` looks its dispatcher up on a global symbol for every
 * request: `Symbol.for('undici.globalDispatcher.1')` up to undici 7 (Node 20
 * bundles undici 6), `Symbol.for('undici.globalDispatcher.2')` from undici 8
 * (Node 26, which still fills `.1` for userland copies). So even a reference to the
 * real `fetch` taken before the simulation started (an SDK client created at
 * module load keeps the `fetch` it saw then) arrives here, and is answered by
 * the HTTP bridge instead of the network. The request goes through the
 * bridge's `fetch` (same routing, faults and trace), and the response is
 * streamed back through the handler's callbacks; undici builds the `Response`
 * the caller sees. A `fetch` given its own `dispatcher` option, and
 * `node:http`/`node:https`, do not come here.
 *
 * Handlers come in two APIs and the dispatcher speaks both, chosen per
 * handler: the legacy one (`onConnect`, `onHeaders`, `onData`, `onComplete`,
 * `onError`; Node 20's fetch, undici 7's) and the controller API of undici 7+
 * (`onRequestStart(controller)`, `onResponseStart`, `onResponseData`,
 * `onResponseEnd`, `onResponseError`; Node 26's fetch). Both drive the same
 * exchange: backpressure (`false` from `onHeaders`/`onData`, or
 * `controller.pause()`) stops reading the bridge's body until resumed, and an
 * abort (the `abort` given to `onConnect`, or `controller.abort(reason)`)
 * aborts the bridge's request and ends with the error callback.
 */

/** Where undici up to v7 (Node 20's fetch, userland undici 7) looks up its global dispatcher. */
export const GLOBAL_DISPATCHER_V1 = Symbol.for('undici.globalDispatcher.1');
/** Where undici 8 (Node 26's fetch) looks up its global dispatcher. */
export const GLOBAL_DISPATCHER_V2 = Symbol.for('undici.globalDispatcher.2');
/** Every global symbol a simulation puts its bridge dispatcher under. */
export const GLOBAL_DISPATCHERS = [GLOBAL_DISPATCHER_V1, GLOBAL_DISPATCHER_V2] as const;

/** The subset of undici's `DispatchOptions` the bridge reads. */
interface DispatchOptions {
  origin?: string | URL;
  path: string;
  method: string;
  headers?: Record<string, string | string[] | undefined> | (string | Buffer)[] | null;
  body?: string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | null;
}

/** undici's legacy dispatch handler callbacks, as Node 20's fetch passes them. */
export interface LegacyDispatchHandler {
  onConnect?(abort: (error?: Error) => void, context?: object): void;
  onResponseStarted?(): void;
  onHeaders?(status: number, headers: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: Buffer[] | null): void;
  onError?(error: Error): void;
}

/** Response headers or trailers as the controller API passes them: lower-case names. */
export type DispatchHeaders = Record<string, string | string[]>;

/** The controller undici 7+ hands to a handler (undici's `DispatchController`). */
export interface DispatchController {
  readonly aborted: boolean;
  readonly paused: boolean;
  readonly reason: Error | null;
  /** The response head as received: name, value, name, value... */
  rawHeaders: Buffer[] | null;
  rawTrailers: Buffer[] | null;
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

/** undici 7+'s controller-API handler callbacks, as Node 26's fetch passes them. */
export interface ControllerDispatchHandler {
  onRequestStart(controller: DispatchController, context: object): void;
  onResponseStarted?(): void;
  onResponseStart?(
    controller: DispatchController,
    status: number,
    headers: DispatchHeaders,
    statusText: string,
  ): void;
  onResponseData?(controller: DispatchController, chunk: Buffer): void;
  onResponseEnd?(controller: DispatchController, trailers: DispatchHeaders): void;
  onResponseError?(controller: DispatchController, error: Error): void;
}

export type DispatchHandler = LegacyDispatchHandler | ControllerDispatchHandler;

/** A minimal undici `Dispatcher` answering every request with `fetchImpl`. */
export interface BridgeDispatcher {
  dispatch(options: DispatchOptions, handler: DispatchHandler): boolean;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Creates a dispatcher that answers Node's built-in `fetch` with `fetchImpl`
 * (the HTTP bridge's). Installed by `installGlobals` while a simulation runs.
 *
 * @example
 * ```ts
 * (globalThis as any)[GLOBAL_DISPATCHER_V2] = createBridgeDispatcher(bridge.fetch);
 * ```
 */
export function createBridgeDispatcher(fetchImpl: typeof globalThis.fetch): BridgeDispatcher {
  return {
    dispatch(options, handler) {
      const sink = isControllerHandler(handler) ? controllerSink(handler) : legacySink(handler);
      void exchange(fetchImpl, options, sink);
      return true;
    },
    close: () => Promise.resolve(),
    destroy: () => Promise.resolve(),
  };
}

function isControllerHandler(handler: DispatchHandler): handler is ControllerDispatchHandler {
  return typeof (handler as ControllerDispatchHandler).onRequestStart === 'function';
}

/** The exchange's side of the flow control both handler APIs share. */
interface Flow {
  /** Reading the bridge's body waits while paused. */
  paused: boolean;
  pause(): void;
  resume(): void;
  /** Aborts the request: the bridge's fetch is aborted and the handler gets the error. */
  abort(reason?: Error): void;
}

/** One handler API, seen from the exchange. */
interface Sink {
  start(flow: Flow): void;
  head(response: Response, raw: Buffer[]): void;
  data(chunk: Buffer): void;
  end(): void;
  error(error: Error): void;
}

function legacySink(handler: LegacyDispatchHandler): Sink {
  let flow!: Flow;
  return {
    start(f) {
      flow = f;
      handler.onConnect?.((error) => flow.abort(error));
    },
    head(response, raw) {
      handler.onResponseStarted?.();
      if (handler.onHeaders?.(response.status, raw, () => flow.resume(), response.statusText) === false)
        flow.pause();
    },
    data(chunk) {
      if (handler.onData?.(chunk) === false) flow.pause();
    },
    end: () => handler.onComplete?.([]),
    error: (error) => handler.onError?.(error),
  };
}

function controllerSink(handler: ControllerDispatchHandler): Sink {
  let flow!: Flow;
  let reason: Error | null = null;
  const controller: DispatchController = {
    get aborted() {
      return reason !== null;
    },
    get paused() {
      return flow.paused;
    },
    get reason() {
      return reason;
    },
    rawHeaders: null,
    rawTrailers: null,
    abort(error) {
      if (reason !== null) return;
      reason = error ?? new DOMException('This operation was aborted', 'AbortError');
      flow.abort(reason);
    },
    pause: () => flow.pause(),
    resume: () => flow.resume(),
  };
  return {
    start(f) {
      flow = f;
      handler.onRequestStart(controller, {});
    },
    head(response, raw) {
      controller.rawHeaders = raw;
      handler.onResponseStarted?.();
      handler.onResponseStart?.(
        controller,
        response.status,
        headerObject(response.headers),
        response.statusText,
      );
    },
    data: (chunk) => handler.onResponseData?.(controller, chunk),
    end() {
      controller.rawTrailers = [];
      handler.onResponseEnd?.(controller, {});
    },
    error: (error) => handler.onResponseError?.(controller, error),
  };
}

async function exchange(
  fetchImpl: typeof globalThis.fetch,
  options: DispatchOptions,
  sink: Sink,
): Promise<void> {
  const requestAbort = new AbortController();
  let ended = false;
  const fail = (error: unknown) => {
    if (ended) return;
    ended = true;
    sink.error(error instanceof Error ? error : new Error(String(error)));
  };
  let wake: (() => void) | undefined;
  const flow: Flow = {
    paused: false,
    pause() {
      flow.paused = true;
    },
    resume() {
      flow.paused = false;
      const waiting = wake;
      wake = undefined;
      waiting?.();
    },
    abort(error) {
      if (ended) return;
      requestAbort.abort(error ?? new DOMException('This operation was aborted', 'AbortError'));
      fail(requestAbort.signal.reason);
      flow.resume();
    },
  };
  sink.start(flow);
  let response: Response;
  try {
    const body = await readRequestBody(options.body);
    if (ended) return;
    const url = new URL(options.path, options.origin);
    response = await fetchImpl(url, {
      method: options.method,
      headers: requestHeaders(options.headers),
      body: body as BodyInit | undefined,
      signal: requestAbort.signal,
    });
  } catch (error) {
    // The bridge rejects like undici, TypeError('fetch failed', { cause }); undici adds that wrapper again.
    fail(error instanceof TypeError && error.message === 'fetch failed' ? error.cause : error);
    return;
  }
  if (ended) {
    response.body?.cancel().catch(() => {});
    return;
  }

  // Header values are byte strings: latin1 keeps each character one byte, as undici decodes them.
  const raw: Buffer[] = [];
  response.headers.forEach((value, name) => {
    raw.push(Buffer.from(name, 'latin1'), Buffer.from(value, 'latin1'));
  });
  sink.head(response, raw);
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        while (flow.paused && !ended) await new Promise<void>((resolve) => (wake = resolve));
        if (ended) return;
        const { done, value } = await reader.read();
        if (ended) return;
        if (done) break;
        sink.data(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      }
    } catch (error) {
      // The bridge's body failed as undici's would: TypeError('terminated', { cause }).
      fail(error instanceof TypeError && error.message === 'terminated' ? (error.cause ?? error) : error);
      return;
    }
  }
  if (ended) return;
  ended = true;
  sink.end();
}

/**
 * A `Headers` as the controller API's header object: lower-case names, one
 * string per name, an array for a repeated one (`set-cookie`, the only name
 * `Headers` iterates more than once).
 */
function headerObject(headers: Headers): DispatchHeaders {
  const out: DispatchHeaders = {};
  headers.forEach((value, name) => {
    const seen = Object.hasOwn(out, name) ? out[name] : undefined;
    const next = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    // defineProperty: a header named `__proto__` is an own property, as in undici's parseHeaders.
    Object.defineProperty(out, name, { value: next, enumerable: true, writable: true, configurable: true });
  });
  return out;
}

async function readRequestBody(body: DispatchOptions['body']): Promise<Uint8Array | string | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

function requestHeaders(headers: DispatchOptions['headers']): Headers {
  const out = new Headers();
  if (!headers) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out.append(String(headers[i]), String(headers[i + 1]));
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) out.append(name, v);
    else if (value !== undefined) out.append(name, value);
  }
  return out;
}

/*
 * The undici dispatcher a simulation installs in place of Node's global one.
 * Node's built-in `fetch` looks its dispatcher up on
 * `globalThis[Symbol.for('undici.globalDispatcher.1')]` for every request, so
 * even a reference to the real `fetch` taken before the simulation started (an
 * SDK client created at module load keeps the `fetch` it saw then) arrives
 * here, and is answered by the HTTP bridge instead of the network. The request
 * goes through the bridge's `fetch` (same routing, faults and trace), and the
 * response is streamed back through undici's handler callbacks; undici builds
 * the `Response` the caller sees. A `fetch` given its own `dispatcher` option,
 * and `node:http`/`node:https`, do not come here.
 */

/** Where Node's fetch (undici) looks up its global dispatcher. */
export const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** The subset of undici's `DispatchOptions` the bridge reads. */
interface DispatchOptions {
  origin?: string | URL;
  path: string;
  method: string;
  headers?: Record<string, string | string[] | undefined> | (string | Buffer)[] | null;
  body?: string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | null;
}

/** undici's (v6) dispatch handler callbacks, as Node 20's fetch passes them. */
interface DispatchHandler {
  onConnect?(abort: (error?: Error) => void): void;
  onHeaders?(status: number, headers: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: string[] | null): void;
  onError?(error: Error): void;
}

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
 * (globalThis as any)[GLOBAL_DISPATCHER] = createBridgeDispatcher(bridge.fetch);
 * ```
 */
export function createBridgeDispatcher(fetchImpl: typeof globalThis.fetch): BridgeDispatcher {
  return {
    dispatch(options, handler) {
      void exchange(fetchImpl, options, handler);
      return true;
    },
    close: () => Promise.resolve(),
    destroy: () => Promise.resolve(),
  };
}

async function exchange(
  fetchImpl: typeof globalThis.fetch,
  options: DispatchOptions,
  handler: DispatchHandler,
): Promise<void> {
  const controller = new AbortController();
  let ended = false;
  const fail = (error: unknown) => {
    if (ended) return;
    ended = true;
    handler.onError?.(error instanceof Error ? error : new Error(String(error)));
  };
  let resumed: (() => void) | undefined;
  const resume = () => {
    const wake = resumed;
    resumed = undefined;
    wake?.();
  };
  handler.onConnect?.((error) => {
    if (ended) return;
    controller.abort(error ?? new DOMException('This operation was aborted', 'AbortError'));
    fail(controller.signal.reason);
    resume();
  });
  let response: Response;
  try {
    const body = await readRequestBody(options.body);
    if (ended) return;
    const url = new URL(options.path, options.origin);
    response = await fetchImpl(url, {
      method: options.method,
      headers: requestHeaders(options.headers),
      body: body as BodyInit | undefined,
      signal: controller.signal,
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

  const raw: Buffer[] = [];
  response.headers.forEach((value, name) => {
    raw.push(Buffer.from(name), Buffer.from(value));
  });
  let flowing = handler.onHeaders?.(response.status, raw, resume, response.statusText) !== false;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        if (!flowing) await new Promise<void>((wake) => (resumed = wake));
        if (ended) return;
        const { done, value } = await reader.read();
        if (ended) return;
        if (done) break;
        flowing = handler.onData?.(Buffer.from(value.buffer, value.byteOffset, value.byteLength)) !== false;
      }
    } catch (error) {
      // The bridge's body failed as undici's would: TypeError('terminated', { cause }).
      fail(error instanceof TypeError && error.message === 'terminated' ? (error.cause ?? error) : error);
      return;
    }
  }
  if (ended) return;
  ended = true;
  handler.onComplete?.([]);
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

/*
 * Response bodies the HTTP bridge hands to clients. Every body is a fresh
 * pull-based ReadableStream over its source (a reader of an msw response, or a
 * reply's chunks), with the three behaviours real clients rely on:
 * - `cancel()` settles at once. The source is told to stop but not awaited:
 *   an msw response can be one branch of a tee (msw clones generator-resolver
 *   responses), and cancelling a tee branch waits for the other branch forever.
 *   SDKs (openai, Anthropic) cancel the body of every retryable error response.
 * - An abort of the request signal errors the body with the abort reason, as
 *   fetch does after the headers arrived.
 * - A failing source errors the body with `TypeError('terminated', { cause })`,
 *   what undici gives when a connection drops mid-body.
 * Nothing here touches real I/O: chunks move on microtasks only.
 */

import { abortReason } from '../../time/abort.js';
import type { HttpBody, HttpHeaders } from './target.js';

/** How a body stream ended: read to the end, cancelled by the client, aborted, or failed. */
export type BodyEnd = 'done' | 'cancelled' | 'aborted' | 'failed';

/** Called once when a body stream ends, with how and (for cancel/abort/failure) why. */
export type OnBodyEnd = (how: BodyEnd, reason?: unknown) => void;

/** A source of chunks: `next` as an async iterator's, `stop` fire-and-forget. */
interface ChunkSource {
  next(): Promise<IteratorResult<unknown>>;
  stop(reason: unknown): void;
}

const encoder = new TextEncoder();

/** Statuses whose responses have no body by definition (the `Response` constructor rejects one). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** True when a response with this status, to this method, carries no body. */
export function hasNoBody(status: number, method: string): boolean {
  return NULL_BODY_STATUS.has(status) || method === 'HEAD';
}

/** A body stream reading `body` (a `Response` body), cancellable at once, failing on abort. */
export function detachedBody(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onEnd: OnBodyEnd,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return chunkStream(
    {
      next: () => reader.read(),
      stop: (reason) => {
        reader.cancel(reason).catch(() => {});
      },
    },
    signal,
    onEnd,
  );
}

/** A body stream for a reply body; `null` for an absent body. Objects are sent as JSON. */
export function replyBody(
  body: HttpBody,
  signal: AbortSignal,
  onEnd: OnBodyEnd,
): ReadableStream<Uint8Array> | null {
  if (body === undefined || body === null) return null;
  if (isAsyncIterable(body)) {
    let iterator: AsyncIterator<unknown> | undefined;
    return chunkStream(
      {
        next: () => {
          iterator ??= body[Symbol.asyncIterator]();
          return iterator.next();
        },
        stop: (reason) => {
          Promise.resolve(iterator?.return?.(reason)).catch(() => {});
        },
      },
      signal,
      onEnd,
    );
  }
  let sent = false;
  const chunk =
    typeof body === 'string' || body instanceof Uint8Array
      ? body
      : body instanceof ArrayBuffer
        ? new Uint8Array(body)
        : JSON.stringify(body);
  return chunkStream(
    {
      next: async () => {
        if (sent) return { done: true, value: undefined };
        sent = true;
        return { done: false, value: chunk };
      },
      stop: () => {},
    },
    signal,
    onEnd,
  );
}

/** True when a reply body will be sent as JSON (a plain value, not text, bytes or chunks). */
export function isJsonBody(body: HttpBody): boolean {
  return (
    body !== undefined &&
    body !== null &&
    typeof body !== 'string' &&
    !(body instanceof Uint8Array) &&
    !(body instanceof ArrayBuffer) &&
    !isAsyncIterable(body)
  );
}

/** Builds `Headers` from any accepted header shape (record values may be arrays). */
export function toHeaders(headers: HttpHeaders | undefined): Headers {
  if (headers === undefined || headers instanceof Headers || Array.isArray(headers))
    return new Headers(headers as HeadersInit | undefined);
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) out.append(name, String(v));
    else if (value !== undefined) out.append(name, String(value));
  }
  return out;
}

function chunkStream(source: ChunkSource, signal: AbortSignal, onEnd: OnBodyEnd): ReadableStream<Uint8Array> {
  let ended = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const end = (how: BodyEnd, reason?: unknown) => {
    if (ended) return false;
    ended = true;
    signal.removeEventListener('abort', onAbort);
    onEnd(how, reason);
    return true;
  };
  const onAbort = () => {
    const reason = abortReason(signal);
    if (!end('aborted', reason)) return;
    controller.error(reason);
    source.stop(reason);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      },
      async pull(c) {
        let result: IteratorResult<unknown>;
        try {
          result = await source.next();
        } catch (error) {
          if (end('failed', error)) c.error(new TypeError('terminated', { cause: error }));
          return;
        }
        if (ended) return;
        if (result.done) {
          end('done');
          c.close();
          return;
        }
        const value = result.value;
        if (typeof value === 'string') c.enqueue(encoder.encode(value));
        else if (value instanceof Uint8Array) c.enqueue(value);
        else {
          const error = new TypeError(`a body chunk must be a string or a Uint8Array, got ${typeof value}`);
          if (!end('failed', error)) return;
          c.error(new TypeError('terminated', { cause: error }));
          source.stop(error);
        }
      },
      cancel(reason) {
        end('cancelled', reason);
        source.stop(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/*
 * How a scheduled stream of LLM events reaches the caller: as parsed chunks
 * for `call({ stream: true })` (as an SDK's stream gives them: `[DONE]` and
 * pings skipped, in-band errors and unparsable chunks thrown), or mapped item
 * by item (SSE frames for `respond()`). Cancelling either cancels the stream.
 */
import { ServiceError } from '../../errors/service-error.js';
import type { MalformedEffect, StreamFaultEffect } from '../../faults/fault.js';
import { malformedError } from '../services/malformed.js';
import type { ScheduledStream } from './stream.js';
import type { StreamEvent } from './wire-format.js';

/** Maps a scheduled stream item by item, passing cancellation through. */
export function mapStream<T, U>(source: ScheduledStream<T>, map: (item: T) => U): AsyncIterableIterator<U> {
  return {
    async next() {
      const r = await source.next();
      return r.done ? { value: undefined, done: true } : { value: map(r.value), done: false };
    },
    async return() {
      await source.return();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Parsed chunks for `call({ stream: true })`: skips `[DONE]` and pings, throws
 * on an in-band error event (`STREAM_ERROR`) and on a chunk that does not parse
 * (`MALFORMED`), as an SDK's stream does.
 */
export function parsedChunks<T>(
  source: ScheduledStream<StreamEvent>,
  service: string,
  call: number,
  fault: StreamFaultEffect | MalformedEffect | undefined,
): AsyncIterableIterator<T> {
  return {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const r = await source.next();
        if (r.done) return { value: undefined, done: true };
        const event = r.value;
        if (event.malformed && fault?.type === 'malformed') {
          await source.return();
          throw malformedError(fault, String(event.data), service, call);
        }
        if (event.error) {
          await source.return();
          throw new ServiceError({
            service,
            call,
            fault: fault?.fault,
            code: 'STREAM_ERROR',
            body: event.data,
            message: `in-band stream error ${errorTypeOf(event.data)}`,
          });
        }
        if (event.data === '[DONE]' || event.event === 'ping') continue;
        return { value: event.data as T, done: false };
      }
    },
    async return() {
      await source.return();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function errorTypeOf(data: unknown): string {
  const error = (data as { error?: { type?: unknown } } | undefined)?.error;
  return typeof error?.type === 'string' ? error.type : 'error';
}

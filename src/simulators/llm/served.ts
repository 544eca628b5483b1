/*
 * What serving one LLM call produced (a JSON body, a malformed reply, or a
 * stream) and its two deliveries: `call()` gives the parsed value a client
 * SDK would, `respond()` the HTTP reply. Each says how the engine traces the
 * call (`WorkResult`).
 */
import type { MalformedEffect, StreamFaultEffect } from '../../faults/fault.js';
import { jsonReply, type ServiceReply } from '../http/message.js';
import type { CallEnd, CallScope, WorkResult } from '../services/engine.js';
import { malformedCallValue, type TextReply } from '../services/malformed.js';
import type { ScheduledStream } from './stream.js';
import { mapStream, parsedChunks } from './stream-delivery.js';
import { type StreamEvent, serializeEvent } from './wire-format.js';

/** What one call produced, before `call()` or `respond()` delivers it. */
export type Served =
  | {
      readonly kind: 'json';
      readonly body: unknown;
      readonly headers: Record<string, string>;
      /** `service.end` marks a content fault (the call still succeeds). */
      readonly mark: { readonly fault?: string };
    }
  | {
      readonly kind: 'malformed';
      readonly effect: MalformedEffect;
      readonly reply: TextReply;
      readonly wrongShape: unknown;
    }
  | {
      readonly kind: 'stream';
      readonly events: ScheduledStream<StreamEvent>;
      readonly end: Promise<CallEnd>;
      /** The fault that breaks the stream, if any. */
      readonly broke: StreamFaultEffect | MalformedEffect | undefined;
      readonly headers: Record<string, string>;
    };

/** For `call()` on service `name`: the parsed JSON, the value a malformed reply gives, or the parsed chunks. */
export function servedValue(served: Served, name: string, scope: CallScope): WorkResult<unknown> {
  switch (served.kind) {
    case 'json':
      return { value: served.body, status: 200, ...served.mark };
    case 'malformed': {
      const { effect, reply, wrongShape } = served;
      const value = malformedCallValue(effect, reply, wrongShape, name, scope.index);
      return { value, status: effect.status, fault: effect.fault, failed: true };
    }
    case 'stream':
      return {
        value: parsedChunks(served.events, name, scope.index, served.broke),
        status: 200,
        end: served.end,
      };
  }
}

/** For `respond()`: the HTTP reply (JSON, the malformed text, or an SSE body). */
export function servedHttp(served: Served): WorkResult<ServiceReply> {
  switch (served.kind) {
    case 'json':
      return { value: jsonReply(200, served.body, served.headers), status: 200, ...served.mark };
    case 'malformed':
      return {
        value: served.reply,
        status: served.effect.status,
        fault: served.effect.fault,
        failed: true,
      };
    case 'stream': {
      const reply: ServiceReply = {
        status: 200,
        headers: served.headers,
        body: mapStream(served.events, serializeEvent),
      };
      return { value: reply, status: 200, end: served.end };
    }
  }
}

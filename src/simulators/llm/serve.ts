/*
 * The one serving path of an LLM call, after the engine admitted it (time to
 * first token waited, status faults applied): generate the completion, then
 * a JSON body once the last token is out, a malformed reply (instead of the
 * body, or instead of the whole stream for an HTML page or an error status),
 * or a stream scheduled on the clock. Success headers carry the request id
 * and the rate-limit state, counting the call's prompt and output tokens.
 */
import type { MalformedEffect, StreamFaultEffect } from '../../faults/fault.js';
import type { CallEnd, CallScope } from '../services/engine.js';
import { malformedReply } from '../services/malformed.js';
import type { Completion } from './completion.js';
import { generate } from './generate.js';
import { type LlmServer, requestId } from './llm-server.js';
import { requestError } from './provider-errors.js';
import type { QuotaState } from './quota.js';
import type { LlmRequest } from './request.js';
import type { Served } from './served.js';
import { ScheduledStream } from './stream.js';
import { streamEnd, streamSchedule } from './stream-schedule.js';
import { successHeaders } from './wire-format.js';

/** Serves `request` in `scope`; `invalid` is why an HTTP body was refused (a 400). */
export async function serve(
  server: LlmServer,
  request: LlmRequest,
  scope: CallScope,
  invalid: string | undefined,
): Promise<Served> {
  const { format, clock, gapMs } = server;
  if (invalid) throw requestError(server, scope, invalid);
  const bad = scope.decision.malformed;
  if (request?.stream !== true) {
    const c = await generate(server, request, scope);
    await clock.sleep(Math.max(0, c.tokens.length - 1) * gapMs, scope.signal);
    const body = format.successBody(c);
    if (bad) return malformed(server, bad, scope, c, body);
    const headers = successHeaders(format, requestId(server, scope), false, quota(server, scope, c));
    const mark = scope.decision.content ? { fault: scope.decision.content.fault } : {};
    return { kind: 'json', body, headers, mark };
  }
  if (replacesStream(bad)) {
    const c = await generate(server, request, scope);
    return malformed(server, bad, scope, c, format.successBody(c));
  }
  return stream(server, request, scope);
}

/** The scheduled stream of events of a streamed call and the promise of its end. */
async function stream(server: LlmServer, request: LlmRequest, scope: CallScope): Promise<Served> {
  const { format, clock } = server;
  const c = await generate(server, request, scope);
  const events = format.streamEvents(c, request);
  const t = clock.now();
  const gap = scope.decision.chunkGapMs ?? server.gapMs;
  const fault: StreamFaultEffect | undefined = scope.decision.stream;
  const bad = scope.decision.malformed;
  const { items, endAt } = streamSchedule(events, c.tokens, t, gap, fault, bad, format);
  const scheduled = new ScheduledStream(clock, items, endAt, scope.signal);
  const content = scope.decision.content;
  const end: Promise<CallEnd> = scheduled.done.then((outcome) => streamEnd(outcome, fault, bad, content));
  const headers = successHeaders(format, requestId(server, scope), true, quota(server, scope, c));
  return { kind: 'stream', events: scheduled, end, broke: fault ?? bad, headers };
}

/** A malformed reply that is not a stream, for the JSON body `body` of `c`. */
function malformed(
  server: LlmServer,
  effect: MalformedEffect,
  scope: CallScope,
  c: Completion,
  body: unknown,
): Served {
  const headers = successHeaders(server.format, requestId(server, scope), false, quota(server, scope, c));
  const wrongShape = server.format.wrongShape(body);
  return {
    kind: 'malformed',
    effect,
    reply: malformedReply(effect, body, wrongShape, headers),
    wrongShape,
  };
}

/** Rate-limit state for the success headers of a call: its window, and the tokens it used. */
function quota(server: LlmServer, scope: CallScope, c: Completion): QuotaState {
  return {
    ...(scope.decision.rateLimit ? { rateLimit: scope.decision.rateLimit } : {}),
    arrivedAt: scope.wallNow,
    now: server.engine.wallTime(server.clock.now()),
    tokens: c.promptTokens + c.tokens.length,
  };
}

/** Whether a malformed effect replaces a stream entirely (an HTML page, an error status). */
function replacesStream(bad: MalformedEffect | undefined): bad is MalformedEffect {
  return bad !== undefined && (bad.kind === 'html' || bad.status >= 400);
}

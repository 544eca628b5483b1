/*
 * Mock LLM services speaking the OpenAI chat.completions or Anthropic messages
 * wire format, on the injected clock, with the fault catalog. Time model: the
 * call waits its time to first token (`ttft`, sampled per call) plus fault
 * delays; then one token every `1000 / tokensPerSecond` ms. A non-streamed
 * call answers when the last token is generated (ttft + (n − 1) token gaps); a
 * streamed call (`stream: true`) answers at ttft with an SSE body whose
 * prelude and first token are available at once and whose later tokens arrive
 * on the clock. Stream faults (`streamError`, `stall`, `truncate`) break the
 * stream after N content chunks; `slowStream` spaces its chunks further apart.
 * HTTP error faults answer with provider-shaped bodies and headers. Content
 * faults (`finishReason`, `emptyContent`, `invalidToolCall`) reshape a 200
 * reply: `service.end` stays `ok`, with `fault` set. `malformed` breaks the
 * payload after the work (see `services/malformed.ts`; in a stream, the first
 * content event). Successful replies carry the provider's rate-limit headers,
 * following a `faults.rateLimit` window when there is one.
 *
 * The service knows providers only through `LlmWireFormat` (`wire-format.ts`):
 * one object per provider (`openai.ts`, `anthropic.ts`) in the registry
 * `providers.ts`, looked up by the `provider` option.
 *
 * Every call goes through one serving path (`serve`), which decides between a
 * JSON body, a malformed reply and a stream; two thin adapters deliver that:
 * `call(request)` returns the parsed provider JSON (or, for `stream: true`, an
 * async iterable of parsed chunks that throws a `ServiceError` with code
 * `STREAM_ERROR` on an in-band error event, `MALFORMED` on a chunk that does
 * not parse), so the service is usable without HTTP; `respond(httpRequest)`
 * gives the HTTP reply (contract in `services/service.ts`). Traces as a
 * generic service does; a streamed call's `service.end` comes when
 * its stream ends, with `fault` set when a stream fault cut it.
 */
import { ConfigError } from '../../errors/config-error.js';
import { ServiceError } from '../../errors/service-error.js';
import type { MalformedEffect, StatusErrorEffect, StreamFaultEffect } from '../../faults/fault.js';
import { checkOptions } from '../../options/validate.js';
import { type CallOptions, jsonReply, type ServiceReply } from '../http/message.js';
import type { HttpRequest } from '../http/target.js';
import { addGetters } from '../live-getters.js';
import {
  type CallEnd,
  type CallScope,
  type ServiceContext,
  ServiceEngine,
  type WorkResult,
} from '../services/engine.js';
import { malformedReply } from '../services/malformed.js';
import { type Completion, estimateTokens, shapeOutput } from './completion.js';
import { checkLlmOptions, DEFAULT_TTFT, LLM_KEYS, type LlmServiceOptions } from './llm-options.js';
import {
  type LlmChunks,
  type LlmProvider,
  type LlmResponses,
  llmProviderChoices,
  llmWireFormat,
} from './providers.js';
import type { QuotaState } from './quota.js';
import { type LlmRequest, lastUserText, promptText } from './request.js';
import { type Served, servedHttp, servedValue } from './served.js';
import { ScheduledStream } from './stream.js';
import { streamEnd, streamSchedule } from './stream-schedule.js';
import { errorReply, type LlmWireFormat, successHeaders } from './wire-format.js';

export type { AnthropicMessage, AnthropicStreamEvent } from './anthropic.js';
export type { LlmRespondInfo, LlmServiceOptions } from './llm-options.js';
export type { OpenAiChatCompletion, OpenAiChatCompletionChunk } from './openai.js';
export type { LlmChunks, LlmProvider, LlmResponses } from './providers.js';
export type { LlmMessage, LlmRequest } from './request.js';

/** A mock LLM API speaking a wire format whose bodies are `Body` and stream items `Chunk`. */
export interface LlmEndpoint<Body = unknown, Chunk = unknown> {
  readonly name: string;
  /** The provider (wire format) name. */
  readonly provider: string;
  /** Descriptions of the started faults. */
  readonly faults: readonly string[];
  /** Calls made so far. */
  readonly calls: number;
  /** A streamed call: resolves at the first token with the parsed chunks/events as they arrive. */
  call(request: LlmRequest & { stream: true }, options?: CallOptions): Promise<AsyncIterableIterator<Chunk>>;
  /** A call: resolves with the provider's JSON body, or rejects with a provider-shaped `ServiceError`. */
  call(request: LlmRequest, options?: CallOptions): Promise<Body>;
  /** HTTP entry for the HTTP bridge: JSON or an SSE body; network failures reject. */
  respond(request: HttpRequest, options?: CallOptions): Promise<ServiceReply>;
}

/** A mock LLM API. */
export interface LlmService<P extends LlmProvider = LlmProvider>
  extends LlmEndpoint<LlmResponses[P], LlmChunks[P]> {
  readonly provider: P;
}

/**
 * Creates a mock LLM service on `ctx`'s clock, random stream and trace.
 *
 * @example
 * ```ts
 * const llm = createLlmService(ctx, 'openai', {
 *   provider: 'openai',
 *   ttft: dist.lognormal({ median: '400ms', p99: '4s' }),
 *   tokensPerSecond: 60,
 *   faults: [faults.rateLimit({ limit: 50, per: '1m' }), faults.streamError({ afterChunks: 5, rate: 0.1 })],
 * });
 * const completion = await llm.call({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
 * completion.choices[0].message.content;
 * ```
 */
export function createLlmService<P extends LlmProvider>(
  ctx: ServiceContext,
  name: string,
  options: LlmServiceOptions<P>,
): LlmService<P> {
  const label = `llm("${name}")`;
  checkOptions(label, options, LLM_KEYS, true);
  const format = llmWireFormat(options?.provider);
  if (!format) throw new ConfigError(`${label}({ provider })`, options?.provider, llmProviderChoices());
  return createLlmEndpoint(ctx, name, options, format) as LlmService<P>;
}

/**
 * A mock LLM API speaking `format` (internal: `createLlmService` picks the
 * format from the registry; tests pass their own). `options.provider` is
 * ignored and the other options are validated as `createLlmService` does.
 */
export function createLlmEndpoint<Body, Chunk>(
  ctx: ServiceContext,
  name: string,
  options: Omit<LlmServiceOptions, 'provider'>,
  format: LlmWireFormat<Body, Chunk>,
): LlmEndpoint<Body, Chunk> {
  const label = `llm("${name}")`;
  const { gapMs } = checkLlmOptions(label, options);
  const engine = new ServiceEngine(
    ctx,
    name,
    {
      latency: options.ttft ?? DEFAULT_TTFT,
      faults: options.faults,
      concurrency: options.concurrency,
      llm: true,
    },
    label,
  );
  const { clock } = ctx;
  const requestId = (scope: CallScope) => `req_${name}_${scope.index}`;

  const shape = (effect: StatusErrorEffect, scope: CallScope): ServiceError => {
    const shaped = errorReply(format, effect, scope.wallNow, requestId(scope));
    return new ServiceError({
      service: name,
      call: scope.index,
      fault: effect.fault,
      status: effect.status,
      headers: shaped.headers,
      body: shaped.body,
      message: effect.message,
    });
  };

  /** A provider-shaped 400 (bad request) or 500 (the `respond` option failed) that no fault caused. */
  const badRequest = (scope: CallScope, message: string, cause?: unknown, status = 400): ServiceError => {
    const errorType = status === 400 ? 'invalid_request_error' : 'api_error';
    const effect: StatusErrorEffect = {
      type: 'status',
      fault: '',
      stage: 'status',
      status,
      errorType,
      message,
      headers: {},
      body: undefined,
    };
    const shaped = errorReply(format, effect, scope.wallNow, requestId(scope));
    return new ServiceError({
      service: name,
      call: scope.index,
      status,
      headers: shaped.headers,
      body: shaped.body,
      message,
      cause,
    });
  };

  const complete = async (request: LlmRequest, scope: CallScope): Promise<Completion> => {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      throw badRequest(scope, 'the request body must be a JSON object');
    }
    let text: string;
    try {
      text = options.respond
        ? await options.respond(request, { callIndex: scope.index, now: clock.now() })
        : defaultReply(request, scope.index);
    } catch (error) {
      throw badRequest(
        scope,
        `respond() failed: ${error instanceof Error ? error.message : String(error)}`,
        error,
        500,
      );
    }
    if (typeof text !== 'string') throw badRequest(scope, 'respond() must return a string', undefined, 500);
    return {
      id: `${format.idPrefix.completion}${name}_${scope.index}`,
      model: typeof request.model === 'string' ? request.model : (options.model ?? format.defaultModel),
      created: Math.floor(engine.wallTime(clock.now()) / 1000),
      promptTokens: estimateTokens(promptText(request)),
      ...shapeOutput(
        text,
        request,
        scope.decision.content?.mode,
        `${format.idPrefix.toolCall}${name}_${scope.index}`,
      ),
    };
  };

  /** Rate-limit state for the success headers of a call. */
  const quota = (scope: CallScope, c: Completion): QuotaState => ({
    ...(scope.decision.rateLimit ? { rateLimit: scope.decision.rateLimit } : {}),
    arrivedAt: scope.wallNow,
    now: engine.wallTime(clock.now()),
    tokens: c.promptTokens + c.tokens.length,
  });

  /** A malformed reply that is not a stream, for the JSON body `body` of `c`. */
  const malformed = (effect: MalformedEffect, scope: CallScope, c: Completion, body: unknown): Served => {
    const headers = successHeaders(format, requestId(scope), false, quota(scope, c));
    const wrongShape = format.wrongShape(body);
    return {
      kind: 'malformed',
      effect,
      reply: malformedReply(effect, body, wrongShape, headers),
      wrongShape,
    };
  };

  /** The scheduled stream of events of a streamed call and the promise of its end. */
  const stream = async (request: LlmRequest, scope: CallScope): Promise<Served> => {
    const c = await complete(request, scope);
    const events = format.streamEvents(c, request);
    const t = clock.now();
    const gap = scope.decision.chunkGapMs ?? gapMs;
    const fault: StreamFaultEffect | undefined = scope.decision.stream;
    const bad = scope.decision.malformed;
    const { items, endAt } = streamSchedule(events, c.tokens, t, gap, fault, bad, format);
    const scheduled = new ScheduledStream(clock, items, endAt, scope.signal);
    const content = scope.decision.content;
    const end: Promise<CallEnd> = scheduled.done.then((outcome) => streamEnd(outcome, fault, bad, content));
    const headers = successHeaders(format, requestId(scope), true, quota(scope, c));
    return { kind: 'stream', events: scheduled, end, broke: fault ?? bad, headers };
  };

  /**
   * The one serving path: a JSON body after generation, a malformed reply
   * (instead of the body, or instead of the whole stream for an HTML page or
   * an error status), or a stream. `invalid` is why an HTTP body was refused.
   */
  const serve = async (
    request: LlmRequest,
    scope: CallScope,
    invalid: string | undefined,
  ): Promise<Served> => {
    if (invalid) throw badRequest(scope, invalid);
    const bad = scope.decision.malformed;
    if (request?.stream !== true) {
      const c = await complete(request, scope);
      await clock.sleep(Math.max(0, c.tokens.length - 1) * gapMs, scope.signal);
      const body = format.successBody(c);
      if (bad) return malformed(bad, scope, c, body);
      const headers = successHeaders(format, requestId(scope), false, quota(scope, c));
      const mark = scope.decision.content ? { fault: scope.decision.content.fault } : {};
      return { kind: 'json', body, headers, mark };
    }
    if (replacesStream(bad)) {
      const c = await complete(request, scope);
      return malformed(bad, scope, c, format.successBody(c));
    }
    return stream(request, scope);
  };

  /** Runs a call through the engine and `serve`, delivering the result with `deliver`. */
  const run = <T>(
    request: LlmRequest,
    invalid: string | undefined,
    signal: AbortSignal | undefined,
    deliver: (served: Served, scope: CallScope) => WorkResult<T>,
  ): Promise<T> =>
    engine.run(
      request,
      signal,
      request?.stream === true,
      async (scope) => deliver(await serve(request, scope, invalid), scope),
      shape,
    );

  const asValue = (served: Served, scope: CallScope) => servedValue(served, name, scope);

  const service = addGetters(
    { name, provider: format.name, faults: engine.plan.descriptions },
    { calls: () => engine.callCount },
    'LLM service',
  ) as LlmEndpoint<Body, Chunk>;
  const methods = {
    call(request: LlmRequest, callOptions?: CallOptions): Promise<any> {
      return run(request, undefined, callOptions?.signal, asValue);
    },
    async respond(http: HttpRequest, callOptions?: CallOptions): Promise<ServiceReply> {
      const { request, invalid } = parseHttp(http);
      try {
        return await run(request, invalid, callOptions?.signal, servedHttp);
      } catch (error) {
        if (ServiceError.is(error) && error.status !== undefined) {
          return jsonReply(error.status, error.body, error.headers);
        }
        throw error;
      }
    },
  };
  service.call = methods.call as LlmEndpoint<Body, Chunk>['call'];
  service.respond = methods.respond;
  return service;
}

/** Whether a malformed effect replaces a stream entirely (an HTML page, an error status). */
function replacesStream(bad: MalformedEffect | undefined): bad is MalformedEffect {
  return bad !== undefined && (bad.kind === 'html' || bad.status >= 400);
}

function parseHttp(http: HttpRequest): { request: LlmRequest; invalid?: string } {
  if (http.body == null || http.body === '') return { request: {}, invalid: 'the request has no body' };
  try {
    const parsed = JSON.parse(http.body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { request: parsed };
    return { request: {}, invalid: 'the request body must be a JSON object' };
  } catch {
    return { request: {}, invalid: 'the request body is not valid JSON' };
  }
}

function defaultReply(request: LlmRequest, index: number): string {
  const asked = lastUserText(request).replace(/\s+/g, ' ').trim().slice(0, 80);
  return asked === '' ? `Simulated reply #${index}.` : `Simulated reply #${index} to: ${asked}`;
}

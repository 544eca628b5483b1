/*
 * A mock LLM API speaking one wire format: the object `createLlmService`
 * returns. Each call goes through `ServiceEngine.run` (trace, time to first
 * token, fault decision, queueing, status faults) and then `serve`; `call()`
 * delivers the result as parsed values, `respond()` as an HTTP reply (a
 * provider-shaped error status is a reply there, not a rejection).
 */
import { ServiceError } from '../../errors/service-error.js';
import type { StatusErrorEffect } from '../../faults/fault.js';
import { type CallOptions, jsonReply, type ServiceReply } from '../http/message.js';
import type { HttpRequest } from '../http/target.js';
import { addGetters } from '../live-getters.js';
import { type CallScope, type ServiceContext, ServiceEngine, type WorkResult } from '../services/engine.js';
import { checkLlmOptions, DEFAULT_TTFT, type LlmServiceOptions } from './llm-options.js';
import type { LlmServer } from './llm-server.js';
import { faultError } from './provider-errors.js';
import type { LlmRequest } from './request.js';
import { serve } from './serve.js';
import { type Served, servedHttp, servedValue } from './served.js';
import type { LlmWireFormat } from './wire-format.js';

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
  const server: LlmServer = { name, format, options, engine, clock: ctx.clock, gapMs };
  const shape = (effect: StatusErrorEffect, scope: CallScope): ServiceError =>
    faultError(server, effect, scope);

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
      async (scope) => deliver(await serve(server, request, scope, invalid), scope),
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

/** The LLM request in an HTTP request's body, or why it cannot be one (answered with a 400). */
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

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
 * `providers.ts`, looked up by the `provider` option. This file is the public
 * factory; the parts, in the order a call meets them:
 * - `llm-options.ts`: the options, their defaults and checks;
 * - `llm-endpoint.ts`: the service object; `call` and `respond` run each call
 *   through the engine (`services/engine.ts`), then `serve`;
 * - `serve.ts`: the one serving path, which decides between a JSON body, a
 *   malformed reply and a stream (`stream-schedule.ts` lays out a stream and
 *   its faults on the clock; `stream.ts` plays it);
 * - `generate.ts`: the reply text and its `Completion`; `provider-errors.ts`:
 *   the provider-shaped `ServiceError`s;
 * - `served.ts`: the two deliveries of what `serve` produced: `call(request)`
 *   returns the parsed provider JSON (or, for `stream: true`, an async iterable
 *   of parsed chunks that throws a `ServiceError` with code `STREAM_ERROR` on
 *   an in-band error event, `MALFORMED` on a chunk that does not parse, see
 *   `stream-delivery.ts`), so the service is usable without HTTP;
 *   `respond(httpRequest)` gives the HTTP reply (contract in
 *   `services/service.ts`).
 *
 * Traces as a generic service does; a streamed call's `service.end` comes when
 * its stream ends, with `fault` set when a stream fault cut it.
 */
import { ConfigError } from '../../errors/config-error.js';
import { checkOptions } from '../../options/validate.js';
import type { ServiceContext } from '../services/engine.js';
import { createLlmEndpoint, type LlmEndpoint } from './llm-endpoint.js';
import { LLM_KEYS, type LlmServiceOptions } from './llm-options.js';
import {
  type LlmChunks,
  type LlmProvider,
  type LlmResponses,
  llmProviderChoices,
  llmWireFormat,
} from './providers.js';

export type { AnthropicMessage, AnthropicStreamEvent } from './anthropic.js';
export type { LlmEndpoint } from './llm-endpoint.js';
export type { LlmRespondInfo, LlmServiceOptions } from './llm-options.js';
export type { OpenAiChatCompletion, OpenAiChatCompletionChunk } from './openai.js';
export type { LlmChunks, LlmProvider, LlmResponses } from './providers.js';
export type { LlmMessage, LlmRequest } from './request.js';

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

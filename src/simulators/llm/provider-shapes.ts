/*
 * OpenAI and Anthropic wire shapes for the mock LLM service: request reading
 * (prompt text, model, max tokens, streaming), success bodies (chat.completions
 * JSON, messages JSON), streaming events (OpenAI `chat.completion.chunk` data
 * lines and `[DONE]`; Anthropic `message_start` … `message_stop`), the LLM
 * content faults (finish reason `length` / `content_filter`, empty content, a
 * tool call with invalid JSON arguments), wrong-shaped bodies for
 * `faults.malformed`, success and error headers (rate-limit headers per
 * provider, `x-should-retry`), and SSE serialisation. Pure functions; no
 * clock, no randomness.
 */
import type { ContentFaultMode, RateLimitInfo, StatusErrorEffect } from '../../faults/fault.js';

/** Which API the mock speaks. */
export type LlmProvider = 'openai' | 'anthropic';

/** A chat message as both APIs accept it (content as text or content parts). */
export interface LlmMessage {
  readonly role: string;
  readonly content: string | readonly { readonly type?: string; readonly text?: string }[] | null;
}

/** The fields of an OpenAI chat.completions or Anthropic messages request the mock reads. */
export interface LlmRequest {
  readonly model?: string;
  readonly messages?: readonly LlmMessage[];
  readonly system?: string | readonly { readonly text?: string }[];
  readonly max_tokens?: number;
  readonly max_completion_tokens?: number;
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  readonly [key: string]: unknown;
}

/** OpenAI `finish_reason`. */
export type OpenAiFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/** OpenAI tool call in a `chat.completion` message. */
export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** OpenAI `chat.completion`. */
export interface OpenAiChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: OpenAiToolCall[] };
    logprobs: null;
    finish_reason: OpenAiFinishReason;
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  system_fingerprint: string;
}

/** OpenAI `chat.completion.chunk`. */
export interface OpenAiChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        type?: 'function';
        function: { name?: string; arguments: string };
      }[];
    };
    logprobs: null;
    finish_reason: OpenAiFinishReason | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

/** Anthropic `message`. */
export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: (
    | { type: 'text'; text: string }
    | { type: 'tool_use'; id: string; name: string; input: unknown }
  )[];
  stop_reason: 'end_turn' | 'max_tokens' | 'refusal' | 'tool_use';
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number };
}

/** Anthropic stream event (`message_start`, `content_block_delta`, ...). */
export interface AnthropicStreamEvent {
  type: string;
  [key: string]: unknown;
}

/** Parsed success body per provider. */
export interface LlmResponses {
  openai: OpenAiChatCompletion;
  anthropic: AnthropicMessage;
}

/** Parsed stream item per provider. */
export interface LlmChunks {
  openai: OpenAiChatCompletionChunk;
  anthropic: AnthropicStreamEvent;
}

/** One server-sent event: optional event name and JSON data (or OpenAI's `[DONE]`). */
export interface StreamEvent {
  readonly event?: string;
  readonly data: unknown;
  /** An in-band error event. */
  readonly error?: boolean;
  /** `data` is raw text that does not parse (`faults.malformed` in a stream). */
  readonly malformed?: boolean;
}

/** Why generation stopped, in OpenAI's words (Anthropic: `end_turn`, `max_tokens`, `refusal`, `tool_use`). */
export type Finish = OpenAiFinishReason;

/** Everything a body needs besides the text. */
export interface Completion {
  readonly id: string;
  readonly model: string;
  /** Epoch seconds. */
  readonly created: number;
  /** Output tokens: the text, or for a tool call the pieces of its arguments. */
  readonly tokens: readonly string[];
  readonly promptTokens: number;
  /** `length` when `max_tokens` (or a finishReason fault) cut the output. */
  readonly finish: Finish;
  /** No content at all (emptyContent): OpenAI `content: ''`, Anthropic `content: []`, no content events. */
  readonly empty?: boolean;
  /** The reply is a call of this tool; its arguments are `tokens.join('')`. */
  readonly toolCall?: { readonly id: string; readonly name: string };
}

/** What `shapeOutput` makes of a reply text. */
export type CompletionOutput = Pick<Completion, 'tokens' | 'finish' | 'empty' | 'toolCall'>;

/**
 * Output tokens and finish reason of a reply: `max_tokens` cuts it (`length`);
 * a content fault then cuts it to its first half (`length`, `content_filter`),
 * empties it, or turns it into a call of the request's first tool whose
 * arguments are JSON with a trailing comma (`{"input": "<text>",}`), which
 * neither `JSON.parse` nor the SDKs' lenient partial-JSON parsers accept.
 */
export function shapeOutput(
  text: string,
  request: LlmRequest,
  content: ContentFaultMode | undefined,
  toolCallId: string,
): CompletionOutput {
  let tokens = tokenize(text);
  let finish: Finish = 'stop';
  const limit = maxTokens(request);
  if (limit !== undefined && tokens.length > limit) {
    tokens = tokens.slice(0, limit);
    finish = 'length';
  }
  switch (content) {
    case 'length':
    case 'content_filter':
      return { tokens: tokens.slice(0, Math.ceil(tokens.length / 2)), finish: content };
    case 'empty':
      return { tokens: [], finish: 'stop', empty: true };
    case 'invalid-tool-call':
      return {
        tokens: tokenize(`{"input": ${JSON.stringify(text)},}`),
        finish: 'tool_calls',
        toolCall: { id: toolCallId, name: toolName(request) },
      };
    default:
      return { tokens, finish };
  }
}

/** Name of the request's first tool (OpenAI `tools[0].function.name`, Anthropic `tools[0].name`), else `'tool'`. */
export function toolName(request: LlmRequest): string {
  const first = Array.isArray(request.tools)
    ? (request.tools[0] as Record<string, any> | undefined)
    : undefined;
  const name = first?.function?.name ?? first?.name;
  return typeof name === 'string' && name !== '' ? name : 'tool';
}

const ANTHROPIC_STOP: Readonly<Record<Finish, AnthropicMessage['stop_reason']>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'refusal',
  tool_calls: 'tool_use',
};

export const DEFAULT_MODEL: Readonly<Record<LlmProvider, string>> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
};

function contentText(content: LlmMessage['content'] | LlmRequest['system']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/** All prompt text (system and messages). */
export function promptText(request: LlmRequest): string {
  const parts = [contentText(request.system)];
  for (const m of request.messages ?? []) parts.push(contentText(m?.content));
  return parts.filter((p) => p !== '').join('\n');
}

/** Text of the last user message. */
export function lastUserText(request: LlmRequest): string {
  const messages = request.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') return contentText(messages[i]!.content);
  }
  return '';
}

/** Splits text into tokens: words with their leading whitespace (`"Hello world"` → `["Hello", " world"]`). */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** Rough prompt token count: a token per 4 characters, at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The output token limit of a request, if any. */
export function maxTokens(request: LlmRequest): number | undefined {
  const n = request.max_completion_tokens ?? request.max_tokens;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The non-streamed success body. */
export function successBody(provider: LlmProvider, c: Completion): OpenAiChatCompletion | AnthropicMessage {
  const text = c.tokens.join('');
  if (provider === 'openai') {
    const message: OpenAiChatCompletion['choices'][0]['message'] = c.toolCall
      ? {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            { id: c.toolCall.id, type: 'function', function: { name: c.toolCall.name, arguments: text } },
          ],
        }
      : { role: 'assistant', content: text, refusal: null };
    return {
      id: c.id,
      object: 'chat.completion',
      created: c.created,
      model: c.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: c.finish }],
      usage: {
        prompt_tokens: c.promptTokens,
        completion_tokens: c.tokens.length,
        total_tokens: c.promptTokens + c.tokens.length,
      },
      system_fingerprint: 'fp_faultline',
    };
  }
  return {
    id: c.id,
    type: 'message',
    role: 'assistant',
    model: c.model,
    content: c.empty
      ? []
      : c.toolCall
        ? [{ type: 'tool_use', id: c.toolCall.id, name: c.toolCall.name, input: text }]
        : [{ type: 'text', text }],
    stop_reason: ANTHROPIC_STOP[c.finish],
    stop_sequence: null,
    usage: { input_tokens: c.promptTokens, output_tokens: c.tokens.length },
  };
}

/** The events of a stream: sent before the first token, per token, and after the last. */
export interface StreamShape {
  readonly prelude: readonly StreamEvent[];
  token(text: string): StreamEvent;
  readonly terminal: readonly StreamEvent[];
  error(errorType: string, message: string): StreamEvent;
}

/** Stream events for a completion. `includeUsage`: OpenAI's `stream_options.include_usage`. */
export function streamShape(provider: LlmProvider, c: Completion, includeUsage: boolean): StreamShape {
  if (provider === 'openai') {
    const chunk = (
      delta: OpenAiChatCompletionChunk['choices'][0]['delta'],
      finish: OpenAiFinishReason | null,
    ): StreamEvent => ({
      data: {
        id: c.id,
        object: 'chat.completion.chunk',
        created: c.created,
        model: c.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      } satisfies OpenAiChatCompletionChunk,
    });
    const terminal: StreamEvent[] = [chunk({}, c.finish)];
    if (includeUsage) {
      terminal.push({
        data: {
          id: c.id,
          object: 'chat.completion.chunk',
          created: c.created,
          model: c.model,
          choices: [],
          usage: {
            prompt_tokens: c.promptTokens,
            completion_tokens: c.tokens.length,
            total_tokens: c.promptTokens + c.tokens.length,
          },
        } satisfies OpenAiChatCompletionChunk,
      });
    }
    terminal.push({ data: '[DONE]' });
    const tool = c.toolCall;
    return {
      prelude: [
        tool
          ? chunk(
              {
                role: 'assistant',
                content: null,
                tool_calls: [
                  { index: 0, id: tool.id, type: 'function', function: { name: tool.name, arguments: '' } },
                ],
              },
              null,
            )
          : chunk({ role: 'assistant', content: '' }, null),
      ],
      token: (text) =>
        tool
          ? chunk({ tool_calls: [{ index: 0, function: { arguments: text } }] }, null)
          : chunk({ content: text }, null),
      terminal,
      error: (errorType, message) => ({ data: openAiErrorBody(errorType, message), error: true }),
    };
  }
  const event = (type: string, data: Record<string, unknown>): StreamEvent => ({
    event: type,
    data: { type, ...data },
  });
  return {
    prelude: [
      event('message_start', {
        message: {
          id: c.id,
          type: 'message',
          role: 'assistant',
          model: c.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: c.promptTokens, output_tokens: 1 },
        },
      }),
      ...(c.empty
        ? []
        : [
            event('content_block_start', {
              index: 0,
              content_block: c.toolCall
                ? { type: 'tool_use', id: c.toolCall.id, name: c.toolCall.name, input: {} }
                : { type: 'text', text: '' },
            }),
          ]),
      event('ping', {}),
    ],
    token: (text) =>
      event('content_block_delta', {
        index: 0,
        delta: c.toolCall ? { type: 'input_json_delta', partial_json: text } : { type: 'text_delta', text },
      }),
    terminal: [
      ...(c.empty ? [] : [event('content_block_stop', { index: 0 })]),
      event('message_delta', {
        delta: { stop_reason: ANTHROPIC_STOP[c.finish], stop_sequence: null },
        usage: { output_tokens: c.tokens.length },
      }),
      event('message_stop', {}),
    ],
    error: (errorType, message) => ({
      event: 'error',
      data: { type: 'error', error: { type: errorType, message } },
      error: true,
    }),
  };
}

/** One SSE frame. */
export function serializeEvent(e: StreamEvent): string {
  const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
  return e.event === undefined ? `data: ${data}\n\n` : `event: ${e.event}\ndata: ${data}\n\n`;
}

/** Limits a mock provider advertises when no `faults.rateLimit` says otherwise (per minute). */
export const DEFAULT_LIMITS: Readonly<Record<LlmProvider, { requests: number; tokens: number }>> = {
  openai: { requests: 10_000, tokens: 2_000_000 },
  anthropic: { requests: 4_000, tokens: 2_000_000 },
};

/** What the rate-limit headers of a success are computed from. */
export interface QuotaState {
  /** The call's window state from `faults.rateLimit`, when the service has one. */
  readonly rateLimit?: RateLimitInfo;
  /** Epoch ms when the call arrived (the rate-limit window state is as of then). */
  readonly arrivedAt: number;
  /** Epoch ms of the reply. */
  readonly now: number;
  /** Tokens the call used (prompt + output), counted against the token limit. */
  readonly tokens: number;
}

/**
 * Rate-limit headers of a success. OpenAI: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`
 * (resets as Go-style durations); Anthropic: `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`
 * (resets as RFC 3339 times, rounded up to the second). With a rate limit,
 * the request headers follow its window (`remaining` counts down to 0, reset
 * at the window's end); without one, generous defaults (`DEFAULT_LIMITS`, one
 * request used, replenished per minute). Tokens always use the defaults, less
 * the call's tokens.
 */
export function rateLimitHeaders(provider: LlmProvider, q: QuotaState): Record<string, string> {
  const defaults = DEFAULT_LIMITS[provider];
  const limit = q.rateLimit?.limit ?? defaults.requests;
  const remaining = q.rateLimit?.remaining ?? defaults.requests - 1;
  // reset: epoch ms when the request quota is whole again
  const resetAt = q.rateLimit ? q.arrivedAt + q.rateLimit.resetMs : q.now + 60_000 / defaults.requests;
  const tokensLimit = defaults.tokens;
  const tokensUsed = Math.min(tokensLimit, Math.max(0, q.tokens));
  const tokensResetAt = q.now + (tokensUsed * 60_000) / tokensLimit;
  if (provider === 'openai') {
    return {
      'x-ratelimit-limit-requests': String(limit),
      'x-ratelimit-remaining-requests': String(remaining),
      'x-ratelimit-reset-requests': formatResetDuration(Math.max(0, resetAt - q.now)),
      'x-ratelimit-limit-tokens': String(tokensLimit),
      'x-ratelimit-remaining-tokens': String(tokensLimit - tokensUsed),
      'x-ratelimit-reset-tokens': formatResetDuration(Math.max(0, tokensResetAt - q.now)),
    };
  }
  const iso = (at: number) => new Date(Math.ceil(at / 1000) * 1000).toISOString();
  return {
    'anthropic-ratelimit-requests-limit': String(limit),
    'anthropic-ratelimit-requests-remaining': String(remaining),
    'anthropic-ratelimit-requests-reset': iso(resetAt),
    'anthropic-ratelimit-tokens-limit': String(tokensLimit),
    'anthropic-ratelimit-tokens-remaining': String(tokensLimit - tokensUsed),
    'anthropic-ratelimit-tokens-reset': iso(tokensResetAt),
  };
}

/** Success headers; with `quota`, the provider's rate-limit headers too. */
export function successHeaders(
  provider: LlmProvider,
  requestId: string,
  streaming: boolean,
  quota?: QuotaState,
): Record<string, string> {
  const headers: Record<string, string> = streaming
    ? { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }
    : { 'content-type': 'application/json' };
  if (provider === 'openai') headers['x-request-id'] = requestId;
  else headers['request-id'] = requestId;
  if (quota) Object.assign(headers, rateLimitHeaders(provider, quota));
  return headers;
}

/**
 * A wrong-shaped body or stream chunk for `faults.malformed`: valid JSON
 * without the field a client reads. OpenAI bodies and chunks lose `choices`;
 * Anthropic bodies lose `content`, stream events lose `delta` (and
 * `content_block`, `message`).
 */
export function wrongShape(provider: LlmProvider, data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return { unexpected: data };
  const drop = provider === 'openai' ? ['choices'] : ['content', 'delta', 'content_block', 'message'];
  return Object.fromEntries(Object.entries(data).filter(([key]) => !drop.includes(key)));
}

const OPENAI_TYPE: Readonly<Record<string, { type: string; code: string | null }>> = {
  rate_limit_error: { type: 'requests', code: 'rate_limit_exceeded' },
  insufficient_quota: { type: 'insufficient_quota', code: 'insufficient_quota' },
  overloaded_error: { type: 'server_error', code: null },
  api_error: { type: 'server_error', code: null },
  timeout_error: { type: 'server_error', code: null },
  invalid_request_error: { type: 'invalid_request_error', code: null },
  authentication_error: { type: 'invalid_request_error', code: 'invalid_api_key' },
  permission_error: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  not_found_error: { type: 'invalid_request_error', code: 'model_not_found' },
  request_too_large: { type: 'invalid_request_error', code: null },
};

const OPENAI_NAMED_CODE: Readonly<Record<string, string>> = {
  prompt_too_long: 'context_length_exceeded',
};

/** OpenAI error body `{ error: { message, type, param, code } }`. */
export function openAiErrorBody(errorType: string, message: string, errorName?: string): unknown {
  const mapped = OPENAI_TYPE[errorType] ?? { type: 'server_error', code: null };
  const code = (errorName && OPENAI_NAMED_CODE[errorName]) ?? mapped.code;
  return { error: { message, type: mapped.type, param: null, code } };
}

/** Go-style duration as OpenAI writes its reset headers: `120ms`, `6s`, `1m0s`, `1.5s`. */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const totalSeconds = Math.round(ms / 10) / 100;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = Math.round((totalSeconds - minutes * 60) * 100) / 100;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/**
 * Provider-shaped headers and body for an HTTP error effect. The effect's own
 * headers (`retry-after`, `retry-after-ms`, `x-should-retry`) are kept; rate
 * limits add `x-ratelimit-*-requests` (OpenAI) or `anthropic-ratelimit-requests-*`.
 */
export function errorShape(
  provider: LlmProvider,
  effect: StatusErrorEffect,
  wallNow: number,
  requestId: string,
): { headers: Record<string, string>; body: unknown } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const resetMs = effect.rateLimit?.resetMs ?? effect.retryAfterMs;
  if (provider === 'openai') {
    headers['x-request-id'] = requestId;
    if (effect.status === 429 && effect.errorType !== 'insufficient_quota') {
      const limit = effect.rateLimit?.limit ?? 60;
      headers['x-ratelimit-limit-requests'] = String(limit);
      headers['x-ratelimit-remaining-requests'] = String(effect.rateLimit?.remaining ?? 0);
      headers['x-ratelimit-reset-requests'] = formatResetDuration(resetMs ?? 1000);
      headers['x-ratelimit-limit-tokens'] = String(DEFAULT_LIMITS.openai.tokens);
      headers['x-ratelimit-remaining-tokens'] = String(DEFAULT_LIMITS.openai.tokens);
      headers['x-ratelimit-reset-tokens'] = '0s';
    }
    Object.assign(headers, effect.headers);
    return { headers, body: openAiErrorBody(effect.errorType, effect.message, effect.errorName) };
  }
  headers['request-id'] = requestId;
  if (effect.status === 429 && effect.errorType !== 'insufficient_quota') {
    const limit = effect.rateLimit?.limit ?? 60;
    headers['anthropic-ratelimit-requests-limit'] = String(limit);
    headers['anthropic-ratelimit-requests-remaining'] = String(effect.rateLimit?.remaining ?? 0);
    headers['anthropic-ratelimit-requests-reset'] = new Date(
      Math.ceil((wallNow + (resetMs ?? 1000)) / 1000) * 1000,
    ).toISOString();
  }
  Object.assign(headers, effect.headers);
  const errorType = effect.errorType === 'insufficient_quota' ? 'invalid_request_error' : effect.errorType;
  const message =
    effect.errorType === 'insufficient_quota'
      ? 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'
      : effect.message;
  return { headers, body: { type: 'error', error: { type: errorType, message }, request_id: requestId } };
}

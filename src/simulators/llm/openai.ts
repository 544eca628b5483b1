/*
 * The OpenAI chat.completions wire format: `chat.completion` bodies,
 * `chat.completion.chunk` data lines ending in `[DONE]` (a usage chunk first
 * with `stream_options.include_usage`), `{ error: { message, type, param,
 * code } }` errors, `x-request-id`, and `x-ratelimit-*` headers whose resets
 * are Go-style durations. Pure; no clock, no randomness.
 */
import type { Completion, Finish } from './completion.js';
import { quotaWindow } from './quota.js';
import type { LlmError, LlmWireFormat, StreamEvent } from './wire-format.js';
import { withoutKeys } from './wire-format.js';

/** OpenAI `finish_reason`. */
export type OpenAiFinishReason = Finish;

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

const ERROR_TYPE: Readonly<Record<string, { type: string; code: string | null }>> = {
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

const NAMED_CODE: Readonly<Record<string, string>> = {
  prompt_too_long: 'context_length_exceeded',
};

/** OpenAI error body `{ error: { message, type, param, code } }`. */
export function openAiErrorBody(errorType: string, message: string, errorName?: string): unknown {
  const mapped = ERROR_TYPE[errorType] ?? { type: 'server_error', code: null };
  const code = (errorName && NAMED_CODE[errorName]) ?? mapped.code;
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

const LIMITS = { requests: 10_000, tokens: 2_000_000 } as const;

const usage = (c: Completion) => ({
  prompt_tokens: c.promptTokens,
  completion_tokens: c.tokens.length,
  total_tokens: c.promptTokens + c.tokens.length,
});

/**
 * The OpenAI chat.completions wire format.
 *
 * @example
 * ```ts
 * openai.successBody(completion).choices[0].message.content;
 * ```
 */
export const openai: LlmWireFormat<OpenAiChatCompletion, OpenAiChatCompletionChunk> = {
  name: 'openai',
  defaultModel: 'gpt-4o-mini',
  idPrefix: { completion: 'chatcmpl-', toolCall: 'call_' },
  requestIdHeader: 'x-request-id',
  limits: LIMITS,

  successBody(c) {
    const text = c.tokens.join('');
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
      usage: usage(c),
      system_fingerprint: 'fp_faultline',
    };
  },

  streamEvents(c, request) {
    const includeUsage = request.stream_options?.include_usage === true;
    const chunk = (
      delta: OpenAiChatCompletionChunk['choices'][0]['delta'],
      finish: OpenAiFinishReason | null,
    ): StreamEvent<OpenAiChatCompletionChunk> => ({
      data: {
        id: c.id,
        object: 'chat.completion.chunk',
        created: c.created,
        model: c.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      },
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
          usage: usage(c),
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
  },

  rateLimitHeaders(q) {
    const w = quotaWindow(LIMITS, q);
    return {
      'x-ratelimit-limit-requests': String(w.limit),
      'x-ratelimit-remaining-requests': String(w.remaining),
      'x-ratelimit-reset-requests': formatResetDuration(Math.max(0, w.resetAt - q.now)),
      'x-ratelimit-limit-tokens': String(w.tokensLimit),
      'x-ratelimit-remaining-tokens': String(w.tokensLimit - w.tokensUsed),
      'x-ratelimit-reset-tokens': formatResetDuration(Math.max(0, w.tokensResetAt - q.now)),
    };
  },

  errorHeaders(effect: LlmError): Record<string, string> {
    if (effect.status !== 429 || effect.errorType === 'insufficient_quota') return {};
    const resetMs = effect.rateLimit?.resetMs ?? effect.retryAfterMs;
    return {
      'x-ratelimit-limit-requests': String(effect.rateLimit?.limit ?? 60),
      'x-ratelimit-remaining-requests': String(effect.rateLimit?.remaining ?? 0),
      'x-ratelimit-reset-requests': formatResetDuration(resetMs ?? 1000),
      'x-ratelimit-limit-tokens': String(LIMITS.tokens),
      'x-ratelimit-remaining-tokens': String(LIMITS.tokens),
      'x-ratelimit-reset-tokens': '0s',
    };
  },

  errorBody(effect) {
    return openAiErrorBody(effect.errorType, effect.message, effect.errorName);
  },

  wrongShape(data) {
    return withoutKeys(data, ['choices']);
  },
};

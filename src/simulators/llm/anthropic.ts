/*
 * The Anthropic messages wire format: `message` bodies, named SSE events
 * (`message_start`, `content_block_start`, `ping`, `content_block_delta` …
 * `message_stop`), `{ type: 'error', error: { type, message } }` errors,
 * `request-id`, and `anthropic-ratelimit-*` headers whose resets are RFC 3339
 * times rounded up to the second. Pure; no clock, no randomness.
 */
import type { Completion, Finish } from './completion.js';
import { quotaWindow } from './quota.js';
import type { LlmWireFormat, StreamEvent } from './wire-format.js';
import { withoutKeys } from './wire-format.js';

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

const STOP_REASON: Readonly<Record<Finish, AnthropicMessage['stop_reason']>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'refusal',
  tool_calls: 'tool_use',
};

const LIMITS = { requests: 4_000, tokens: 2_000_000 } as const;

const NO_CREDIT =
  'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.';

/** RFC 3339 time of an epoch ms, rounded up to the second. */
const resetTime = (at: number) => new Date(Math.ceil(at / 1000) * 1000).toISOString();

const event = (type: string, data: Record<string, unknown>): StreamEvent<AnthropicStreamEvent> => ({
  event: type,
  data: { type, ...data },
});

/**
 * The Anthropic messages wire format.
 *
 * @example
 * ```ts
 * anthropic.successBody(completion).content[0];
 * ```
 */
export const anthropic: LlmWireFormat<AnthropicMessage, AnthropicStreamEvent> = {
  name: 'anthropic',
  defaultModel: 'claude-sonnet-4-5',
  idPrefix: { completion: 'msg_', toolCall: 'toolu_' },
  requestIdHeader: 'request-id',
  limits: LIMITS,

  successBody(c: Completion) {
    const text = c.tokens.join('');
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
      stop_reason: STOP_REASON[c.finish],
      stop_sequence: null,
      usage: { input_tokens: c.promptTokens, output_tokens: c.tokens.length },
    };
  },

  streamEvents(c) {
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
          delta: { stop_reason: STOP_REASON[c.finish], stop_sequence: null },
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
  },

  rateLimitHeaders(q) {
    const w = quotaWindow(LIMITS, q);
    return {
      'anthropic-ratelimit-requests-limit': String(w.limit),
      'anthropic-ratelimit-requests-remaining': String(w.remaining),
      'anthropic-ratelimit-requests-reset': resetTime(w.resetAt),
      'anthropic-ratelimit-tokens-limit': String(w.tokensLimit),
      'anthropic-ratelimit-tokens-remaining': String(w.tokensLimit - w.tokensUsed),
      'anthropic-ratelimit-tokens-reset': resetTime(w.tokensResetAt),
    };
  },

  errorHeaders(effect, wallNow): Record<string, string> {
    if (effect.status !== 429 || effect.errorType === 'insufficient_quota') return {};
    const resetMs = effect.rateLimit?.resetMs ?? effect.retryAfterMs;
    return {
      'anthropic-ratelimit-requests-limit': String(effect.rateLimit?.limit ?? 60),
      'anthropic-ratelimit-requests-remaining': String(effect.rateLimit?.remaining ?? 0),
      'anthropic-ratelimit-requests-reset': resetTime(wallNow + (resetMs ?? 1000)),
    };
  },

  errorBody(effect, requestId) {
    const quota = effect.errorType === 'insufficient_quota';
    return {
      type: 'error',
      error: {
        type: quota ? 'invalid_request_error' : effect.errorType,
        message: quota ? NO_CREDIT : effect.message,
      },
      request_id: requestId,
    };
  },

  wrongShape(data) {
    return withoutKeys(data, ['content', 'delta', 'content_block', 'message']);
  },
};

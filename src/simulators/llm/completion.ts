/*
 * A reply before any provider shapes it: its output tokens, why generation
 * stopped, and the LLM content faults that reshape it. Pure functions; no
 * clock, no randomness.
 */
import { type LlmRequest, maxTokens, toolName } from './request.js';

/** Why generation stopped, in OpenAI's words (each format maps it: Anthropic `end_turn`, `max_tokens`, ...). */
export type Finish = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/** How a content fault reshapes a reply (the modes of `finishReason`, `emptyContent`, `invalidToolCall`). */
export type ContentReshape = 'length' | 'content_filter' | 'empty' | 'invalid-tool-call';

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
  content: ContentReshape | undefined,
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

/** Splits text into tokens: words with their leading whitespace (`"Hello world"` → `["Hello", " world"]`). */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** Rough prompt token count: a token per 4 characters, at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

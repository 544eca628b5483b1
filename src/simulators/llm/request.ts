/*
 * The fields of an LLM request the mock reads, whatever the provider: the
 * messages and system prompt as text, the output token limit, the first
 * tool's name. Lenient: both OpenAI and Anthropic request shapes are read.
 */

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

/** The output token limit of a request, if any. */
export function maxTokens(request: LlmRequest): number | undefined {
  const n = request.max_completion_tokens ?? request.max_tokens;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Name of the request's first tool (OpenAI `tools[0].function.name`, Anthropic `tools[0].name`), else `'tool'`. */
export function toolName(request: LlmRequest): string {
  const first = Array.isArray(request.tools)
    ? (request.tools[0] as Record<string, any> | undefined)
    : undefined;
  const name = first?.function?.name ?? first?.name;
  return typeof name === 'string' && name !== '' ? name : 'tool';
}

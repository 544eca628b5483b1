/*
 * The registry of LLM wire formats, by the `provider` option value that
 * selects each. A new provider is one file implementing `LlmWireFormat` plus
 * one line here; its body and chunk types follow from the object.
 */
import { anthropic } from './anthropic.js';
import { openai } from './openai.js';
import type { LlmWireFormat } from './wire-format.js';

/** Every wire format `sim.llm` speaks, by provider name. */
export const LLM_PROVIDERS = {
  openai,
  anthropic,
} as const satisfies Readonly<Record<string, LlmWireFormat<any, any>>>;

/** Which API the mock speaks. */
export type LlmProvider = keyof typeof LLM_PROVIDERS;

/** Parsed success body per provider. */
export type LlmResponses = {
  [P in LlmProvider]: (typeof LLM_PROVIDERS)[P] extends LlmWireFormat<infer Body, any> ? Body : never;
};

/** Parsed stream item per provider. */
export type LlmChunks = {
  [P in LlmProvider]: (typeof LLM_PROVIDERS)[P] extends LlmWireFormat<any, infer Chunk> ? Chunk : never;
};

/** The wire format of a provider name, or undefined for a name not in the registry. */
export function llmWireFormat(provider: unknown): LlmWireFormat | undefined {
  return typeof provider === 'string' && Object.hasOwn(LLM_PROVIDERS, provider)
    ? LLM_PROVIDERS[provider as LlmProvider]
    : undefined;
}

/** The registered provider names as a `ConfigError` expects them: `'openai' or 'anthropic'`. */
export function llmProviderChoices(): string {
  return Object.keys(LLM_PROVIDERS)
    .map((name) => `'${name}'`)
    .join(' or ');
}

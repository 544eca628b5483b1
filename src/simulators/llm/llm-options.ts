/*
 * The options of a mock LLM service: their declaration, defaults, and the
 * checks of the options the LLM side reads itself (`ServiceEngine` checks
 * `ttft`, `faults` and `concurrency`; `createLlmService` checks the keys and
 * `provider`).
 */
import { ConfigError } from '../../errors/config-error.js';
import type { Fault } from '../../faults/fault.js';
import { optionKeys } from '../../options/validate.js';
import { lognormal } from '../../random/dist.js';
import type { Distribution } from '../../random/distribution.js';
import type { Duration } from '../../time/duration.js';
import type { LlmProvider } from './providers.js';
import type { LlmRequest } from './request.js';

/** What `respond` learns about the call besides the request. */
export interface LlmRespondInfo {
  readonly callIndex: number;
  /** Clock time when generation starts (after the time to first token). */
  readonly now: number;
}

/** Every key of `LlmServiceOptions`. */
export const LLM_KEYS = optionKeys<LlmServiceOptions>()([
  'provider',
  'ttft',
  'tokensPerSecond',
  'respond',
  'faults',
  'concurrency',
  'model',
]);

/** Options of `createLlmService`. */
export interface LlmServiceOptions<P extends LlmProvider = LlmProvider> {
  /** Wire format: OpenAI chat.completions or Anthropic messages. */
  provider: P;
  /** Time to first token, sampled per call. Default `dist.lognormal({ median: '300ms', p99: '3s' })`. */
  ttft?: Distribution | Duration;
  /** Output speed. Default 80 tokens/s (12.5 ms per token). */
  tokensPerSecond?: number;
  /** The reply text for a request. Default: a short deterministic text quoting the last user message. */
  respond?: (request: LlmRequest, info: LlmRespondInfo) => string | Promise<string>;
  /** Faults, including the stream faults (see `faults`). */
  faults?: readonly Fault[] | Fault;
  /** Requests served at once; the rest queue FIFO. Default unlimited. */
  concurrency?: number;
  /** Model reported when the request names none. */
  model?: string;
}

/** Time to first token when `ttft` is not given. */
export const DEFAULT_TTFT = lognormal({ median: '300ms', p99: '3s' });

/**
 * Checks `tokensPerSecond`, `respond` and `model`, in that order (`label`
 * names the service in the `ConfigError`), and gives the time between two
 * output tokens.
 */
export function checkLlmOptions(
  label: string,
  options: Omit<LlmServiceOptions, 'provider'>,
): { readonly gapMs: number } {
  const tps = options.tokensPerSecond ?? 80;
  if (typeof tps !== 'number' || !Number.isFinite(tps) || tps <= 0) {
    throw new ConfigError(`${label}({ tokensPerSecond })`, options.tokensPerSecond, 'a finite number > 0');
  }
  if (options.respond !== undefined && typeof options.respond !== 'function') {
    throw new ConfigError(`${label}({ respond })`, options.respond, 'a function (request) => string');
  }
  if (options.model !== undefined && (typeof options.model !== 'string' || options.model === '')) {
    throw new ConfigError(`${label}({ model })`, options.model, 'a non-empty string');
  }
  return { gapMs: 1000 / tps };
}

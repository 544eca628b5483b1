/*
 * `faults.finishReason`: an LLM reply cut short with a provider-correct
 * finish reason (`length` / `content_filter`), as when the model runs out of
 * output tokens or a safety filter stops it.
 */

import { checkOptions, oneOf, optionPath, probability } from '../options/validate.js';
import { contentFault } from './content-fault.js';
import type { Fault } from './fault.js';

export interface FinishReasonOptions {
  /** Fraction of LLM calls affected, in [0, 1]. */
  rate: number;
  /** Why generation stopped: `'length'` (out of tokens) or `'content_filter'` (a safety filter). */
  reason: 'length' | 'content_filter';
}

/**
 * With probability `rate`, an LLM reply keeps only the first half of its
 * tokens (rounded up) and ends with the matching finish reason: OpenAI
 * `finish_reason: 'length'` / `'content_filter'`, Anthropic `stop_reason:
 * 'max_tokens'` / `'refusal'`, in the JSON body and in the stream's final
 * chunk (`message_delta`). The HTTP status is 200 and `usage` counts the tokens
 * sent. Services that are not LLMs ignore this fault (nothing is traced).
 * Traced `fault.injected` `{ effect: 'finish-reason', reason }`.
 *
 * @example
 * ```ts
 * faults.finishReason({ rate: 0.05, reason: 'length' })
 * faults.finishReason({ rate: 0.01, reason: 'content_filter' })
 * ```
 */
export function finishReason(options: FinishReasonOptions): Fault {
  const o = checkOptions('faults.finishReason', options, ['rate', 'reason'], true);
  const rate = probability(optionPath('faults.finishReason', 'rate'), o.rate);
  const reason = oneOf(optionPath('faults.finishReason', 'reason'), o.reason, ['length', 'content_filter']);
  return contentFault('finishReason', `finishReason(rate=${rate}, reason=${reason})`, rate, reason);
}

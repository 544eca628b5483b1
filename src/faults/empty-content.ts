/*
 * `faults.emptyContent`: an LLM reply that succeeds with no content at all.
 */

import { checkOptions, optionPath, probability } from '../options/validate.js';
import { contentFault } from './content-fault.js';
import type { Fault } from './fault.js';

export interface EmptyContentOptions {
  /** Fraction of LLM calls answered with empty content, in [0, 1]. */
  rate: number;
}

/**
 * With probability `rate`, an LLM reply is a normal 200 with nothing in it:
 * OpenAI `message.content: ''` with `finish_reason: 'stop'`, Anthropic
 * `content: []` with `stop_reason: 'end_turn'`; a stream carries no content
 * events (Anthropic: no content block at all) and ends at once. Usage reports
 * 0 output tokens. Services that are not LLMs ignore this fault (nothing is
 * traced). Traced `fault.injected` `{ effect: 'empty-content' }`.
 *
 * @example
 * ```ts
 * faults.emptyContent({ rate: 0.02 })
 * ```
 */
export function emptyContent(options: EmptyContentOptions): Fault {
  const o = checkOptions('faults.emptyContent', options, ['rate'], true);
  const rate = probability(optionPath('faults.emptyContent', 'rate'), o.rate);
  return contentFault('emptyContent', `emptyContent(rate=${rate})`, rate, 'empty');
}

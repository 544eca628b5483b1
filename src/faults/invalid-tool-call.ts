/*
 * `faults.invalidToolCall`: an LLM reply that calls a tool with arguments that
 * are not valid JSON.
 */

import { checkOptions, optionPath, probability } from '../options/validate.js';
import { contentFault } from './content-fault.js';
import type { Fault } from './fault.js';

export interface InvalidToolCallOptions {
  /** Fraction of LLM calls answered with a broken tool call, in [0, 1]. */
  rate: number;
}

/**
 * With probability `rate`, an LLM reply is a tool call (to the request's first
 * tool, or `'tool'` when it offers none) whose arguments are not valid JSON:
 * `{"input": "<reply text>",}`, with the trailing comma models sometimes write,
 * which neither `JSON.parse` nor the SDKs' lenient partial-JSON parsers accept
 * (a merely unterminated object would be silently completed by them).
 * OpenAI `message.tool_calls[0].function.arguments` with `finish_reason:
 * 'tool_calls'` (streamed as `tool_calls[].function.arguments` deltas);
 * Anthropic a `tool_use` block with `stop_reason: 'tool_use'`, streamed as
 * `input_json_delta` pieces that do not parse once joined, and in a JSON body
 * with `input` holding the broken JSON string (the model's raw text) instead
 * of an object. Services that are not LLMs ignore this fault (nothing is
 * traced). Traced `fault.injected` `{ effect: 'invalid-tool-call' }`.
 *
 * @example
 * ```ts
 * faults.invalidToolCall({ rate: 0.05 })
 * ```
 */
export function invalidToolCall(options: InvalidToolCallOptions): Fault {
  const o = checkOptions('faults.invalidToolCall', options, ['rate'], true);
  const rate = probability(optionPath('faults.invalidToolCall', 'rate'), o.rate);
  return contentFault('invalidToolCall', `invalidToolCall(rate=${rate})`, rate, 'invalid-tool-call');
}

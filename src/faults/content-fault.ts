/*
 * The shared shape of the LLM content faults (`finishReason`, `emptyContent`,
 * `invalidToolCall`): with probability `rate`, one fixed content effect.
 */
import { type ContentFaultEffect, type ContentFaultMode, defineFault, type Fault } from './fault.js';

export function contentFault(kind: string, description: string, rate: number, mode: ContentFaultMode): Fault {
  const effect: ContentFaultEffect = { type: 'content', fault: kind, stage: 'content', mode };
  return defineFault(
    kind,
    description,
    () =>
      ({ random }) =>
        random.chance(rate) ? [effect] : [],
  );
}

/*
 * Shared builder of the stream faults (`streamError`, `stall`, `truncate`):
 * they break a streamed success after N content chunks and do nothing to
 * calls that are not streamed.
 */

import { checkOptions, integerAtLeast, optionPath, probability } from '../options/validate.js';
import { defineFault, type Fault, type StreamFaultEffect } from './fault.js';

/** Options shared by the stream faults. */
export interface StreamFaultOptions {
  /** Content chunks (tokens) delivered before the fault; 0 breaks the stream before any content. */
  afterChunks: number;
  /** Fraction of streamed calls affected, in [0, 1]. Default 1. */
  rate?: number;
}

export function streamFault(
  kind: 'streamError' | 'stall' | 'truncate',
  mode: StreamFaultEffect['mode'],
  options: StreamFaultOptions & { error?: string },
  extraKeys: readonly string[],
  extra: Partial<StreamFaultEffect> = {},
): Fault {
  const o = checkOptions(`faults.${kind}`, options, ['afterChunks', 'rate', ...extraKeys], true);
  const afterChunks = integerAtLeast(optionPath(`faults.${kind}`, 'afterChunks'), o.afterChunks, 0);
  const rate = o.rate === undefined ? 1 : probability(optionPath(`faults.${kind}`, 'rate'), o.rate);
  const effect: StreamFaultEffect = {
    type: 'stream',
    fault: kind,
    stage: 'stream',
    mode,
    afterChunks,
    ...extra,
  };
  return defineFault(
    kind,
    `${kind}(afterChunks=${afterChunks}, rate=${rate}${extra.errorType ? `, error=${extra.errorType}` : ''})`,
    () =>
      ({ random }) =>
        random.chance(rate) ? [effect] : [],
  );
}

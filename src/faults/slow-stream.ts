/*
 * `faults.slowStream`: a streamed reply whose chunks arrive much slower than
 * the service's normal speed (slow, not stalled: the stream still ends).
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, optionPath, probability } from '../options/validate.js';
import { constant } from '../random/dist.js';
import type { Distribution } from '../random/distribution.js';
import { sampleMs, toDistribution } from '../random/to-distribution.js';
import type { Duration } from '../time/duration.js';
import { defineFault, type Fault } from './fault.js';

export interface SlowStreamOptions {
  /** Fraction of streamed calls slowed, in [0, 1]. Default 1. */
  rate?: number;
  /** Output speed of a slowed stream (tokens per second, > 0). Give this or `chunkDelay`. */
  tokensPerSecond?: number;
  /** Time between chunks of a slowed stream: a duration, or a distribution sampled once per slowed call. */
  chunkDelay?: Distribution | Duration;
}

/**
 * With probability `rate`, a streamed call's content chunks arrive
 * `1000 / tokensPerSecond` ms (or `chunkDelay`) apart on the service's clock
 * instead of at the service's own speed; the time to first token is unchanged
 * and the stream still ends normally, so an idle timeout shorter than the gap
 * fires while a total-time budget may not. Calls that are not streamed are not
 * affected (and not traced); generic services never stream. Combines with the
 * stream faults (a slow stream that then stalls). Traced `fault.injected`
 * `{ effect: 'slow-stream', chunkGapMs }`.
 *
 * @example
 * ```ts
 * faults.slowStream({ tokensPerSecond: 2 })                            // every stream at 500 ms per chunk
 * faults.slowStream({ rate: 0.1, chunkDelay: dist.uniform('1s', '3s') })
 * ```
 */
export function slowStream(options: SlowStreamOptions): Fault {
  const o = checkOptions('faults.slowStream', options, ['rate', 'tokensPerSecond', 'chunkDelay'], true);
  const rate = o.rate === undefined ? 1 : probability(optionPath('faults.slowStream', 'rate'), o.rate);
  if ((o.tokensPerSecond === undefined) === (o.chunkDelay === undefined)) {
    throw new ConfigError(
      optionPath('faults.slowStream', 'tokensPerSecond'),
      o.tokensPerSecond,
      'exactly one of tokensPerSecond or chunkDelay',
    );
  }
  let gap: Distribution;
  if (o.tokensPerSecond !== undefined) {
    const tps = o.tokensPerSecond;
    if (typeof tps !== 'number' || !Number.isFinite(tps) || tps <= 0) {
      throw new ConfigError(optionPath('faults.slowStream', 'tokensPerSecond'), tps, 'a finite number > 0');
    }
    gap = constant(1000 / tps);
  } else {
    gap = toDistribution(optionPath('faults.slowStream', 'chunkDelay'), o.chunkDelay);
  }
  const what =
    o.tokensPerSecond !== undefined
      ? `tokensPerSecond=${o.tokensPerSecond}`
      : `chunkDelay=${gap.description}`;
  return defineFault('slowStream', `slowStream(rate=${rate}, ${what})`, () => ({ random }) => {
    if (!random.chance(rate)) return [];
    return [
      { type: 'slow-stream', fault: 'slowStream', stage: 'latency', chunkGapMs: sampleMs(gap, random) },
    ];
  });
}

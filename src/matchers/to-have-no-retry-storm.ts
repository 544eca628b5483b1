import { invariants } from '../properties/invariants/index.js';
import type { NoRetryStormOptions } from '../properties/invariants/no-retry-storm.js';
import { arity, optionsArg } from './args.js';
import type { MatcherContext, MatcherOutcome } from './context.js';
import { simulationResult } from './received.js';
import { judge } from './to-satisfy-invariants.js';

/**
 * Passes when retries did not multiply the load: attempts ÷ requests stays at or
 * under `maxAmplification` over the run (or in every `window`), as
 * `invariants.noRetryStorm` judges it (the seed's retry-storm anti-pattern).
 *
 * @example
 * ```ts
 * expect(result).toHaveNoRetryStorm({ maxAmplification: 1.2 });
 * ```
 */
export function toHaveNoRetryStorm(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const result = simulationResult(received, 'toHaveNoRetryStorm');
  arity('toHaveNoRetryStorm', args, 1, '{ maxAmplification, window? }');
  const options = optionsArg<NoRetryStormOptions>('toHaveNoRetryStorm', args[0], [
    'maxAmplification',
    'window',
  ]);
  const inv = invariants.noRetryStorm(options as NoRetryStormOptions);
  const window = options.window === undefined ? '' : ` in every ${String(options.window)} window`;
  return judge(
    this,
    result,
    [inv],
    `have no retry storm (amplification <= ${options.maxAmplification}${window})`,
  );
}

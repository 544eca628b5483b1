import { ConfigError } from '../../../errors/config-error.js';
import { checkOptions, functionOption, optionKeys } from '../../../options/validate.js';
import type { Agent } from '../agent.js';
import { type OrchestrationDeps, type OrchestrationResult, runChain } from './orchestration-result.js';

export interface LoopOptions {
  /** Stop when this returns true for an iteration's output. */
  until?: (output: any, iteration: number) => boolean;
  /** At most this many iterations (the seed's default: 5). */
  maxIterations?: number;
}

/**
 * Loop mode: runs one agent repeatedly, feeding each output back in, until
 * `until` holds or `maxIterations` is reached (still `success`: the seed's loop
 * ends quietly at the limit). An error ends it with `failure`.
 *
 * @example
 * ```ts
 * await sim.loop(refiner, draft, { until: (d) => d.get('approved') === true, maxIterations: 3 });
 * ```
 */
export async function loop<T>(
  deps: OrchestrationDeps,
  agent: Agent<any, any>,
  input: T,
  raw?: LoopOptions,
): Promise<OrchestrationResult> {
  const options = checkOptions('loop', raw, optionKeys<LoopOptions>()(['until', 'maxIterations']));
  functionOption('loop({ until })', options.until);
  const max = options.maxIterations ?? 5;
  if (!Number.isInteger(max) || max < 1)
    throw new ConfigError('loop({ maxIterations })', options.maxIterations, 'an integer >= 1');
  deps.trace.emit('orchestration.start', 'loop', { agent: agent.name, maxIterations: max });
  const repeated = (function* () {
    for (let i = 0; i < max; i++) yield agent;
  })();
  return runChain(deps, 'loop', repeated, input, options.until);
}

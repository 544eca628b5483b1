import { ConfigError } from '../../../errors/config-error.js';
import { checkOptions, optionKeys } from '../../../options/validate.js';
import type { Agent } from '../agent.js';
import { finish, type OrchestrationDeps, type OrchestrationResult } from './orchestration-result.js';
import { PARALLEL_KEYS, type ParallelOptions, parallel } from './parallel.js';
import { sequential } from './sequential.js';

export interface MixedPlan extends ParallelOptions {
  /** Agents that work on the input together first. */
  collaborative: readonly Agent<any, any>[];
  /** Agents that then process the merged output in order. */
  sequential: readonly Agent<any, any>[];
}

const MIXED_KEYS = optionKeys<MixedPlan>()([...PARALLEL_KEYS, 'collaborative', 'sequential']);

/**
 * Mixed mode: a collaborative phase, then a sequential pipeline over its merged
 * output. A partial collaborative phase makes the whole run `partial_success`
 * if the pipeline succeeds.
 */
export async function mixed<T>(
  deps: OrchestrationDeps,
  plan: MixedPlan,
  input: T,
): Promise<OrchestrationResult> {
  const { collaborative, sequential: chain, ...options } = checkOptions('mixed', plan, MIXED_KEYS, true);
  if (!Array.isArray(collaborative) || !Array.isArray(chain)) {
    throw new ConfigError('mixed(plan)', plan, '{ collaborative: agents[], sequential: agents[] }');
  }
  deps.trace.emit('orchestration.start', 'mixed', {
    collaborative: collaborative.map((a) => a.name),
    sequential: chain.map((a) => a.name),
  });
  const first = await parallel(deps, collaborative, input, options);
  if (first.status === 'failure') return finish(deps, { ...first, mode: 'mixed' });
  const second = await sequential(deps, chain, first.output);
  const status = second.status === 'failure' ? 'failure' : first.status;
  return finish(deps, {
    mode: 'mixed',
    status,
    output: second.output,
    outcomes: [...first.outcomes, ...second.outcomes],
    error: second.error,
  });
}

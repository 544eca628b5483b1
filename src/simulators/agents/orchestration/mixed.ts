import type { Agent } from '../agent.js';
import { finish, type OrchestrationDeps, type OrchestrationResult } from './orchestration-result.js';
import { type ParallelOptions, parallel } from './parallel.js';
import { sequential } from './sequential.js';

export interface MixedPlan extends ParallelOptions {
  /** Agents that work on the input together first. */
  collaborative: readonly Agent<any, any>[];
  /** Agents that then process the merged output in order. */
  sequential: readonly Agent<any, any>[];
}

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
  deps.trace.emit('orchestration.start', 'mixed', {
    collaborative: plan.collaborative.map((a) => a.name),
    sequential: plan.sequential.map((a) => a.name),
  });
  const first = await parallel(deps, plan.collaborative, input, plan);
  if (first.status === 'failure') return finish(deps, { ...first, mode: 'mixed' });
  const second = await sequential(deps, plan.sequential, first.output);
  const status = second.status === 'failure' ? 'failure' : first.status;
  return finish(deps, {
    mode: 'mixed',
    status,
    output: second.output,
    outcomes: [...first.outcomes, ...second.outcomes],
    error: second.error,
  });
}

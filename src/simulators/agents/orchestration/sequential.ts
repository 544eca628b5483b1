import { ConfigError } from '../../../errors/config-error.js';
import type { Agent } from '../agent.js';
import { type OrchestrationDeps, type OrchestrationResult, runChain } from './orchestration-result.js';

/**
 * Sequential (pipeline) mode: each agent gets the previous agent's output;
 * stops at the first error (`status: 'failure'`).
 *
 * @example
 * ```ts
 * const r = await sim.sequential([researcher, analyzer, formatter], state);
 * ```
 */
export async function sequential<T>(
  deps: OrchestrationDeps,
  agents: readonly Agent<any, any>[],
  input: T,
): Promise<OrchestrationResult> {
  if (!Array.isArray(agents) || agents.length === 0) {
    throw new ConfigError('sequential(agents)', agents, 'a non-empty array of agents');
  }
  deps.trace.emit('orchestration.start', 'sequential', { agents: agents.map((a) => a.name) });
  return runChain(deps, 'sequential', agents, input);
}

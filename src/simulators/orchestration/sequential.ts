import { ConfigError } from '../../errors/config-error.js';
import type { Agent } from '../agent.js';
import {
  type AgentOutcome,
  finish,
  type OrchestrationDeps,
  type OrchestrationResult,
  runAgent,
} from './orchestration-result.js';

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
  const outcomes: AgentOutcome[] = [];
  let current: unknown = input;
  for (const agent of agents) {
    const outcome = await runAgent(agent, current);
    outcomes.push(outcome);
    if (!outcome.ok)
      return finish(deps, {
        mode: 'sequential',
        status: 'failure',
        output: undefined,
        outcomes,
        error: outcome.error,
      });
    current = outcome.output;
  }
  return finish(deps, { mode: 'sequential', status: 'success', output: current, outcomes });
}

import { ConfigError } from '../../../errors/config-error.js';
import type { Agent } from '../agent.js';
import { AgentState } from '../agent-state.js';
import {
  finish,
  type OrchestrationDeps,
  type OrchestrationResult,
  runAgent,
} from './orchestration-result.js';

/**
 * Route mode: picks the agent by a metadata key of the input (`AgentState`
 * metadata, or a plain object's property). An unknown route is a `failure`
 * naming the key, the value and the known routes.
 *
 * @example
 * ```ts
 * const router = sim.route('route', { research: researcher, write: writer });
 * await router(new AgentState({}, { route: 'research' }));
 * ```
 */
export function route(
  deps: OrchestrationDeps,
  key: string,
  table: Readonly<Record<string, Agent<any, any>>>,
): (input: unknown) => Promise<OrchestrationResult> {
  if (typeof key !== 'string' || key === '') throw new ConfigError('route(key)', key, 'a non-empty string');
  if (typeof table !== 'object' || table === null || Object.keys(table).length === 0) {
    throw new ConfigError('route(key, table)', table, 'an object mapping route values to agents');
  }
  return async (input: unknown) => {
    const value =
      input instanceof AgentState ? input.metadata[key] : (input as Record<string, unknown> | null)?.[key];
    const agent = typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;
    deps.trace.emit('orchestration.start', 'route', { key, value: value as string, agent: agent?.name });
    if (!agent) {
      const error = new ConfigError(
        `route metadata "${key}"`,
        value,
        `one of ${Object.keys(table).join(', ')}`,
      );
      return finish(deps, { mode: 'route', status: 'failure', output: undefined, outcomes: [], error });
    }
    const outcome = await runAgent(agent, input);
    return finish(deps, {
      mode: 'route',
      status: outcome.ok ? 'success' : 'failure',
      output: outcome.ok ? outcome.output : undefined,
      outcomes: [outcome],
      error: outcome.ok ? undefined : outcome.error,
    });
  };
}

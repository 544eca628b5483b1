import { ConfigError } from '../../../errors/config-error.js';
import { checkOptions, functionOption, optionKeys } from '../../../options/validate.js';
import type { Agent } from '../agent.js';
import { AgentState } from '../agent-state.js';
import {
  finish,
  type OrchestrationDeps,
  type OrchestrationResult,
  runAgent,
} from './orchestration-result.js';

/** Every key of `ParallelOptions`. */
export const PARALLEL_KEYS = optionKeys<ParallelOptions>()(['failureThreshold', 'merge']);

export interface ParallelOptions {
  /**
   * Fraction of agents in [0, 1] that may fail while the run still counts as a
   * partial success; failing more than this is a `failure`. Default 0.5.
   */
  failureThreshold?: number;
  /** How to merge the successful outputs. Default: `AgentState`s merge in order; anything else becomes an array. */
  merge?: (outputs: unknown[]) => unknown;
}

function defaultMerge(outputs: unknown[]): unknown {
  if (outputs.length > 0 && outputs.every((o) => o instanceof AgentState)) {
    return (outputs as AgentState[]).reduce((acc, s) => acc.merge(s));
  }
  return outputs;
}

/**
 * Collaborative (parallel) mode: every agent gets the same input at once; the
 * successful outputs are merged. All succeed → `success`; some fail but the
 * failed fraction is ≤ `failureThreshold` → `partial_success`; else `failure`.
 *
 * @example
 * ```ts
 * const r = await sim.parallel([webSearch, paperSearch], query, { failureThreshold: 0.5 });
 * if (r.status === 'partial_success') …
 * ```
 */
export async function parallel<T>(
  deps: OrchestrationDeps,
  agents: readonly Agent<any, any>[],
  input: T,
  raw?: ParallelOptions,
): Promise<OrchestrationResult> {
  const options = checkOptions('parallel', raw, PARALLEL_KEYS);
  functionOption('parallel({ merge })', options.merge);
  if (!Array.isArray(agents) || agents.length === 0) {
    throw new ConfigError('parallel(agents)', agents, 'a non-empty array of agents');
  }
  const threshold = options.failureThreshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new ConfigError('parallel({ failureThreshold })', options.failureThreshold, 'a fraction in [0, 1]');
  }
  deps.trace.emit('orchestration.start', 'parallel', {
    agents: agents.map((a) => a.name),
    failureThreshold: threshold,
  });
  const outcomes = await Promise.all(
    agents.map((agent) => runAgent(agent, input instanceof AgentState ? input.clone() : input)),
  );
  const failed = outcomes.filter((o) => !o.ok);
  const outputs = outcomes.flatMap((o) => (o.ok ? [o.output] : []));
  const status =
    failed.length === 0
      ? 'success'
      : failed.length / agents.length <= threshold && outputs.length > 0
        ? 'partial_success'
        : 'failure';
  return finish(deps, {
    mode: 'parallel',
    status,
    output: outputs.length ? (options.merge ?? defaultMerge)(outputs) : undefined,
    outcomes,
    error: status === 'failure' ? (failed[0] as { error: unknown }).error : undefined,
  });
}

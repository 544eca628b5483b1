import type { TraceSink } from '../../../trace/event.js';
import type { Agent } from '../agent.js';

/** One agent's part in an orchestration. */
export type AgentOutcome<O = unknown> =
  | { readonly agent: string; readonly ok: true; readonly output: O }
  | { readonly agent: string; readonly ok: false; readonly error: unknown };

/**
 * What an orchestration mode returns. It never throws for an agent's failure:
 * `status` says how it went, the seed's way — `success`, `partial_success`
 * (some agents failed, fewer than the failure threshold) or `failure`.
 */
export interface OrchestrationResult<O = unknown> {
  readonly mode: 'sequential' | 'parallel' | 'route' | 'loop' | 'mixed';
  readonly status: 'success' | 'partial_success' | 'failure';
  /** The final output (sequential: last agent's; parallel: merged; loop: last iteration's). */
  readonly output: O | undefined;
  readonly outcomes: readonly AgentOutcome[];
  /** The first error, when `status` is `failure`. */
  readonly error?: unknown;
}

export interface OrchestrationDeps {
  trace: TraceSink;
}

/** Runs one agent and records its outcome without throwing. */
export async function runAgent<I, O>(agent: Agent<I, O>, input: I): Promise<AgentOutcome<O>> {
  try {
    return { agent: agent.name, ok: true, output: await agent.run(input) };
  } catch (error) {
    return { agent: agent.name, ok: false, error };
  }
}

/** Traces the end of an orchestration and returns its result. */
export function finish<O>(deps: OrchestrationDeps, result: OrchestrationResult<O>): OrchestrationResult<O> {
  deps.trace.emit('orchestration.end', result.mode, {
    status: result.status,
    agents: result.outcomes.length,
    failed: result.outcomes.filter((o) => !o.ok).map((o) => o.agent),
  });
  return result;
}

/**
 * Feeds each output to the next agent from `agents` (an iterable, so a loop can
 * repeat one agent); stops at the first failure, or when `stop(output, n)` holds.
 */
export async function runChain(
  deps: OrchestrationDeps,
  mode: 'sequential' | 'loop',
  agents: Iterable<Agent<any, any>>,
  input: unknown,
  stop?: (output: unknown, n: number) => boolean,
): Promise<OrchestrationResult> {
  const outcomes: AgentOutcome[] = [];
  let current = input;
  for (const agent of agents) {
    const outcome = await runAgent(agent, current);
    outcomes.push(outcome);
    if (!outcome.ok)
      return finish(deps, { mode, status: 'failure', output: undefined, outcomes, error: outcome.error });
    current = outcome.output;
    if (stop?.(current, outcomes.length)) break;
  }
  return finish(deps, { mode, status: 'success', output: current, outcomes });
}

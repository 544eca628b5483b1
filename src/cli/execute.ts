import type { InvariantResult } from '../report/html-report.js';
import type { Scenario } from '../simulators/kernel/scenario.js';
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import { checkInvariants, violationText } from './check-invariants.js';

/*
 * One run of a scenario as the command sees it: the result, or the kernel
 * error that stopped it (deadlock, limit, non-determinism), and whether it
 * counts as a failure: the body threw, the kernel stopped the run, or the
 * trace violates an invariant of the default catalog (`invariants.all()`).
 */

export interface RunRequest {
  /** Default: the scenario's `seed` option, else `FAULTLINE_SEED`, else 1. */
  readonly seed?: number | string | undefined;
  /** Virtual time to run to (overrides the scenario's `until`). */
  readonly until?: number;
  readonly swarm?: boolean;
  /** Judge the trace with `invariants.all()` (a violation fails the run). Default true. */
  readonly invariants?: boolean;
}

export interface Execution {
  readonly seed: number | string | undefined;
  readonly failed: boolean;
  /** Why it failed: the error's message (first line kept short by callers). */
  readonly reason: string | undefined;
  readonly result: SimulationResult | undefined;
  /** A kernel failure (the run has no result then). */
  readonly kernelError: unknown;
  /** Verdicts of `invariants.all()`, unless turned off. */
  readonly invariants: readonly InvariantResult[] | undefined;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export async function execute(scenario: Scenario, request: RunRequest): Promise<Execution> {
  const overrides: Record<string, unknown> = {};
  if (request.seed !== undefined) overrides.seed = request.seed;
  if (request.until !== undefined) overrides.until = request.until;
  if (request.swarm) overrides.swarm = true;
  try {
    const result = await scenario.run(overrides);
    const invariants = request.invariants === false ? undefined : checkInvariants(result.trace);
    const violated = invariants ? violationText(invariants) : undefined;
    const failed = result.outcome === 'failed' || violated !== undefined;
    const reason = result.outcome === 'failed' ? errorText(result.error) : violated;
    return { seed: result.seed, failed, reason, result, kernelError: undefined, invariants };
  } catch (error) {
    const seed = (error as { seed?: number | string } | null)?.seed ?? request.seed;
    return {
      seed,
      failed: true,
      reason: errorText(error),
      result: undefined,
      kernelError: error,
      invariants: undefined,
    };
  }
}

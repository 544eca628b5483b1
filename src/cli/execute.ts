import type { Seed } from '../random/random.js';
import type { InvariantResult } from '../report/html-report.js';
import { type Scenario, type ScenarioOptions, scenarioRunWithSeed } from '../simulators/kernel/scenario.js';
import { canonicalSeed, DEFAULT_SEED } from '../simulators/kernel/seed.js';
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import { checkInvariants, violationText } from './check-invariants.js';
import { replayCommand } from './replay-command.js';
import { withoutSeedEnv } from './seed-env.js';

/*
 * One run of a scenario as the command sees it: the result, or the kernel
 * error that stopped it (deadlock, limit, non-determinism), and whether it
 * counts as a failure: the body threw, the kernel stopped the run, or the
 * trace violates an invariant of the default catalog (`invariants.all()`).
 *
 * The run has exactly the seed the command names: `FAULTLINE_SEED` and
 * `FAULTLINE_RUN` never apply (see seed-env.ts), and a kernel error's rerun
 * command is the command's own `faultline replay <file> --seed <n>`.
 */

export interface RunRequest {
  /** The scenario file as replay commands name it. */
  readonly file: string;
  /** The seed to run. Default: the scenario's `seed` option, else 1 (never `FAULTLINE_SEED`). */
  readonly seed?: Seed | undefined;
  /** Virtual time to run to (overrides the scenario's `until`). */
  readonly until?: number | undefined;
  readonly swarm?: boolean | undefined;
  /** Judge the trace with `invariants.all()` (a violation fails the run). Default true. */
  readonly invariants?: boolean | undefined;
  /** The rerun command kernel errors carry. Default: `faultline replay <file> --seed <n>` (with `--until`, `--swarm`). */
  readonly replay?: string | undefined;
}

export interface Execution {
  /** The seed that ran. */
  readonly seed: Seed;
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

/** The seed a request runs: its own, else the scenario's `seed` option, else 1. */
export function requestSeed(scenario: Scenario, request: Pick<RunRequest, 'seed'>): Seed {
  return canonicalSeed(request.seed ?? scenario.options.seed ?? DEFAULT_SEED);
}

export async function execute(scenario: Scenario, request: RunRequest): Promise<Execution> {
  const seed = requestSeed(scenario, request);
  const overrides: ScenarioOptions & { seed: Seed } = { seed };
  if (request.until !== undefined) overrides.until = request.until;
  if (request.swarm) overrides.swarm = true;
  const rerun =
    request.replay ?? replayCommand(request.file, seed, { swarm: request.swarm, until: request.until });
  const runWithSeed = scenarioRunWithSeed(scenario);
  try {
    const result = runWithSeed
      ? await runWithSeed(overrides, rerun)
      : // A scenario from an older copy of faultline: its `run` reads the variables, so unset them.
        await withoutSeedEnv(() => scenario.run(overrides));
    const invariants = request.invariants === false ? undefined : checkInvariants(result.trace);
    const violated = invariants ? violationText(invariants) : undefined;
    const failed = result.outcome === 'failed' || violated !== undefined;
    const reason = result.outcome === 'failed' ? errorText(result.error) : violated;
    return { seed, failed, reason, result, kernelError: undefined, invariants };
  } catch (error) {
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

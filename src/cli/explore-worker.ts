import { errorText, execute } from './execute.js';
import { loadScenario } from './load-scenario.js';

/*
 * The worker of `faultline explore` (a tinypool worker thread): loads the
 * scenario file once per thread and runs a batch of seeds, returning one
 * verdict per seed (with the trace of each failure, for its failure file).
 */

export interface ExploreTask {
  readonly file: string;
  readonly seeds: readonly number[];
  readonly until?: number;
  readonly swarm?: boolean;
  readonly invariants?: boolean;
}

export interface SeedVerdict {
  readonly seed: number;
  readonly failed: boolean;
  readonly reason?: string;
  readonly hash?: string;
  readonly events?: number;
  /** Canonical JSONL trace, for failures only. */
  readonly trace?: string;
}

export default async function exploreBatch(task: ExploreTask): Promise<SeedVerdict[]> {
  const scenario = await loadScenario(task.file);
  const out: SeedVerdict[] = [];
  for (const seed of task.seeds) {
    const run = await execute(scenario, {
      seed,
      until: task.until,
      swarm: task.swarm,
      invariants: task.invariants,
    });
    const trace = run.result?.trace;
    if (!run.failed) {
      out.push({ seed, failed: false, hash: trace?.hash, events: trace?.length });
      continue;
    }
    out.push({
      seed,
      failed: true,
      reason: run.reason ?? errorText(run.kernelError),
      hash: trace?.hash,
      events: trace?.length,
      trace: trace?.toJSONL(),
    });
  }
  return out;
}

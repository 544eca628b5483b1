import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { errorText, execute } from './execute.js';
import { loadScenario } from './load-scenario.js';
import { type ThreadUsage, threadUsage } from './thread-usage.js';

/*
 * The worker of `faultline explore` (a tinypool worker thread): loads the
 * scenario file once per thread and runs a batch of seeds. A passing seed
 * sends back only its number: computing its trace hash alone would cost
 * about a third of a run (measured in bench/explore-workers.ts) and nothing
 * reads it. A failure sends its reason, hash and trace, for its failure file.
 * Each batch also reports the thread's usage, so the main thread can tell
 * start-up from steady running and explain where the time goes.
 */

export interface ExploreTask {
  readonly file: string;
  /** The scenario file as replay commands name it (in kernel errors). */
  readonly replayFile: string;
  readonly seeds: readonly number[];
  readonly until?: number;
  readonly swarm?: boolean;
  readonly invariants?: boolean;
}

export interface SeedVerdict {
  readonly seed: number;
  readonly failed: boolean;
  /** The rest is for failures only. */
  readonly reason?: string;
  readonly hash?: string;
  readonly events?: number;
  /** Canonical JSONL trace. */
  readonly trace?: string;
}

/** One worker thread's counters, cumulative since the thread started. */
export interface WorkerSample {
  readonly threadId: number;
  /**
   * When the scenario had loaded (after thread start-up, tinypool's bootstrap, the TypeScript
   * loader and the scenario import), as `performance.timeOrigin + performance.now()`.
   */
  readonly loadedAt: number;
  /** CPU the thread used for that start-up, ms (undefined where unmeasurable). */
  readonly startupCpuMs: number | undefined;
  /** When the sample was taken, `performance.now()` of the thread. */
  readonly at: number;
  /** Seeds run so far. */
  readonly runs: number;
  /** Wall time spent running seeds so far, ms (the rest is waiting for tasks). */
  readonly busyMs: number;
  readonly usage: ThreadUsage | undefined;
  /** `performance.eventLoopUtilization()` of the thread. */
  readonly elu: { readonly idle: number; readonly active: number; readonly utilization: number };
}

export interface BatchResult {
  readonly verdicts: SeedVerdict[];
  /** Wall time the batch's runs took, ms. */
  readonly runMs: number;
  readonly worker: WorkerSample;
}

let startup: { at: number; cpuMs: number | undefined } | undefined;
let runs = 0;
let busyMs = 0;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a batch of seeds. The pool hands a worker its next task while it still runs the
 * current one (so it never waits for the main thread between tasks); tasks run one after
 * the other, as simulations cannot share a thread.
 */
export default function exploreBatch(task: ExploreTask): Promise<BatchResult> {
  const result = queue.then(() => runBatch(task));
  queue = result.catch(() => undefined);
  return result;
}

async function runBatch(task: ExploreTask): Promise<BatchResult> {
  const scenario = await loadScenario(task.file);
  startup ??= { at: performance.timeOrigin + performance.now(), cpuMs: threadUsage()?.cpuMs };
  const began = performance.now();
  const verdicts: SeedVerdict[] = [];
  for (const seed of task.seeds) {
    const run = await execute(scenario, {
      file: task.replayFile,
      seed,
      until: task.until,
      swarm: task.swarm,
      invariants: task.invariants,
    });
    if (!run.failed) {
      verdicts.push({ seed, failed: false });
      continue;
    }
    const trace = run.result?.trace;
    verdicts.push({
      seed,
      failed: true,
      reason: run.reason ?? errorText(run.kernelError),
      hash: trace?.hash,
      events: trace?.length,
      trace: trace?.toJSONL(),
    });
  }
  const runMs = performance.now() - began;
  runs += verdicts.length;
  busyMs += runMs;
  const worker: WorkerSample = {
    threadId,
    loadedAt: startup.at,
    startupCpuMs: startup.cpuMs,
    at: performance.now(),
    runs,
    busyMs,
    usage: threadUsage(),
    elu: performance.eventLoopUtilization(),
  };
  return { verdicts, runMs, worker };
}

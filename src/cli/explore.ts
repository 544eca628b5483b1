import { Tinypool } from 'tinypool';
import type { ExploreTask, SeedVerdict } from './explore-worker.js';

/*
 * The explore engine: runs seeds of one scenario file in a tinypool of worker
 * threads, a batch of seeds per task, two tasks in flight per worker so no
 * thread idles between batches. Stops starting new batches at the first
 * failure (unless `keepGoing`) or when the time budget is spent; batches in
 * flight finish and their verdicts are reported.
 */

export interface ExploreRun {
  /** Absolute path of the scenario file. */
  readonly file: string;
  readonly seeds: readonly number[];
  readonly workers: number;
  /** Seeds per task. Default: adaptive (1 to 20). */
  readonly batch?: number;
  readonly swarm?: boolean;
  readonly until?: number;
  readonly keepGoing?: boolean;
  /** Judge each run with `invariants.all()`. Default true. */
  readonly invariants?: boolean;
  /** Wall-time budget in ms. */
  readonly timeBudgetMs?: number;
  readonly onVerdict?: (verdict: SeedVerdict) => void;
  readonly onBatch?: (done: number, failed: number) => void;
}

export interface ExploreOutcome {
  readonly done: number;
  readonly failures: readonly SeedVerdict[];
  readonly seconds: number;
  readonly runsPerSecond: number;
  /**
   * Runs/s once every worker has finished its first batch (thread start-up and
   * scenario loading excluded); `undefined` when the run was too short to tell.
   */
  readonly steadyRunsPerSecond: number | undefined;
  /** Why it stopped before running every seed, if it did. */
  readonly stopReason: string | undefined;
}

export async function explore(run: ExploreRun): Promise<ExploreOutcome> {
  const { seeds, workers } = run;
  const batch = run.batch ?? Math.max(1, Math.min(20, Math.ceil(seeds.length / (workers * 8))));
  const pool = new Tinypool({
    filename: new URL('./explore-worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
  });
  const failures: SeedVerdict[] = [];
  const started = performance.now();
  let next = 0;
  let done = 0;
  let stopReason: string | undefined;
  let batches = 0;
  let warm: { at: number; done: number } | undefined;
  const loop = async (): Promise<void> => {
    while (next < seeds.length && stopReason === undefined) {
      if (run.timeBudgetMs !== undefined && performance.now() - started >= run.timeBudgetMs) {
        stopReason = 'time budget spent';
        return;
      }
      const slice = seeds.slice(next, next + batch);
      next += slice.length;
      const task: ExploreTask = {
        file: run.file,
        seeds: slice,
        until: run.until,
        swarm: run.swarm,
        invariants: run.invariants,
      };
      const verdicts = (await pool.run(task)) as SeedVerdict[];
      for (const v of verdicts) {
        done++;
        if (v.failed) failures.push(v);
        run.onVerdict?.(v);
      }
      if (++batches === workers) warm = { at: performance.now(), done };
      run.onBatch?.(done, failures.length);
      if (failures.length > 0 && !run.keepGoing)
        stopReason ??= 'stopped at the first failure; --continue goes on';
    }
  };
  try {
    await Promise.all(Array.from({ length: workers * 2 }, loop));
  } finally {
    await pool.destroy();
  }
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  const steady =
    warm !== undefined && done - warm.done >= workers && ended > warm.at
      ? ((done - warm.done) * 1000) / (ended - warm.at)
      : undefined;
  return {
    done,
    failures,
    seconds,
    runsPerSecond: done / Math.max(seconds, 1e-9),
    steadyRunsPerSecond: steady,
    stopReason,
  };
}

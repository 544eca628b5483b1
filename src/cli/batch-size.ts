/*
 * How many seeds the next worker task of `faultline explore` carries. A task
 * costs a message round trip through the main thread, so tasks should be long
 * enough for that to vanish (about `targetMs` of running); short enough that a
 * failure, `--time-budget` and the end of the seed list are reached without
 * overshooting: near the end the batches shrink so every worker finishes at
 * about the same time.
 */

export interface BatchSizing {
  /** Wall time one seed takes in a worker (moving average); `undefined` before the first task returns. */
  readonly perRunMs: number | undefined;
  /** Seeds not yet handed out. */
  readonly remaining: number;
  readonly workers: number;
  /** Wall time left of `--time-budget`, if one was given. */
  readonly budgetLeftMs?: number | undefined;
  /** Wall time a task should take. Default 75 ms. */
  readonly targetMs?: number;
}

export const MAX_BATCH = 1000;

export function batchSize(s: BatchSizing): number {
  if (s.remaining <= 0) return 0;
  // Until the first task tells how long a seed takes, one seed per task: start-up shows
  // quickly and a scenario that fails every seed stops after one.
  if (s.perRunMs === undefined) return 1;
  const perRun = Math.max(s.perRunMs, 1e-3);
  let n = Math.floor((s.targetMs ?? 75) / perRun);
  // Two tasks per worker are in flight; the last ones split what is left evenly.
  n = Math.min(n, Math.ceil(s.remaining / (2 * s.workers)));
  if (s.budgetLeftMs !== undefined) n = Math.min(n, Math.floor(s.budgetLeftMs / perRun));
  return Math.max(1, Math.min(n, MAX_BATCH, s.remaining));
}

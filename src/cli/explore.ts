import { performance } from 'node:perf_hooks';
import { Tinypool } from 'tinypool';
import { batchSize } from './batch-size.js';
import type { BatchResult, ExploreTask, SeedVerdict, WorkerSample } from './explore-worker.js';
import { type ThreadUsage, threadUsage } from './thread-usage.js';

/*
 * The explore engine: runs seeds of one scenario file in a tinypool of worker
 * threads. Each task is a batch of seeds sized to run about 75 ms (see
 * batch-size.ts); two tasks are in flight per worker, both sent to it, so no
 * thread idles while the main thread answers. Verdicts are handed on in seed order whatever order
 * the batches finish in. Stops starting new batches at the first failure
 * (unless `keepGoing`) or when the time budget is spent; batches in flight
 * finish and their verdicts are reported.
 *
 * It also tells start-up (thread start, TypeScript loader, scenario import:
 * paid once per worker) from the steady state (every worker running), and
 * where the CPU goes in the steady state: worker threads, the main thread,
 * and the process's other threads (V8's garbage collector and compiler).
 */

export interface ExploreRun {
  /** Absolute path of the scenario file. */
  readonly file: string;
  /** The scenario file as replay commands name it (in kernel errors). Default: `file`. */
  readonly replayFile?: string;
  readonly seeds: readonly number[];
  readonly workers: number;
  /** Seeds per task. Default: adaptive (about 75 ms of running per task). */
  readonly batch?: number;
  readonly swarm?: boolean;
  readonly until?: number;
  readonly keepGoing?: boolean;
  /** Judge each run with `invariants.all()`. Default true. */
  readonly invariants?: boolean;
  /** Wall-time budget in ms. */
  readonly timeBudgetMs?: number;
  /** Each verdict, in seed order. */
  readonly onVerdict?: (verdict: SeedVerdict) => void;
  /** After each batch: seeds done and failed so far. */
  readonly onBatch?: (done: number, failed: number) => void;
}

/** One worker over the steady state. */
export interface WorkerReport {
  readonly threadId: number;
  /** Pool creation to this worker's scenario loaded, ms; and the CPU the thread used for it. */
  readonly startupMs: number;
  readonly startupCpuMs: number | undefined;
  readonly runs: number;
  /** Share of the wall time spent running seeds (the rest: waiting for a task). */
  readonly busyShare: number;
  /** Event-loop utilization of the thread. */
  readonly elu: number;
  /** CPU used, and time spent runnable but waiting for a core (Linux), ms. */
  readonly cpuMs: number | undefined;
  readonly waitMs: number | undefined;
}

/** From the moment every worker has returned its first batch to the end. */
export interface SteadyState {
  readonly seconds: number;
  readonly runs: number;
  readonly runsPerSecond: number;
  /**
   * CPU per run, ms: in the worker threads, on the main thread, in the process's
   * other threads (V8's GC and compiler helpers), and in total (`process.cpuUsage()`).
   */
  readonly cpuMsPerRun: {
    readonly workers: number | undefined;
    readonly main: number | undefined;
    readonly background: number | undefined;
    readonly total: number;
  };
  /** Event-loop utilization of the main thread. */
  readonly mainElu: number;
  readonly workers: readonly WorkerReport[];
}

export interface ExploreOutcome {
  readonly done: number;
  readonly failures: readonly SeedVerdict[];
  readonly seconds: number;
  readonly runsPerSecond: number;
  /** Pool creation until every worker returned its first batch, s; `undefined` if some never did. */
  readonly startupSeconds: number | undefined;
  /** `undefined` when the run was too short to tell. */
  readonly steady: SteadyState | undefined;
  /** `steady.runsPerSecond`. */
  readonly steadyRunsPerSecond: number | undefined;
  /** Why it stopped before running every seed, if it did. */
  readonly stopReason: string | undefined;
}

interface Mark {
  readonly at: number;
  readonly done: number;
  readonly main: ThreadUsage | undefined;
  readonly process: NodeJS.CpuUsage;
  readonly elu: ReturnType<typeof performance.eventLoopUtilization>;
}

function mark(done: number): Mark {
  return {
    at: performance.now(),
    done,
    main: threadUsage(),
    process: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
  };
}

export async function explore(run: ExploreRun): Promise<ExploreOutcome> {
  const { seeds, workers } = run;
  const pool = new Tinypool({
    filename: new URL('./explore-worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    // A worker holds its next task while it runs one (explore-worker.ts runs them in turn),
    // so it never idles for the main thread's reply between tasks.
    concurrentTasksPerWorker: 2,
    // Idle workers wait in their event loop rather than in Atomics.wait, so their
    // event-loop utilization tells waiting from working; a task is ~75 ms, so the
    // faster wake-up of Atomics.wait would not show.
    useAtomics: false,
  });
  const createdAt = performance.timeOrigin + performance.now();
  const failures: SeedVerdict[] = [];
  const started = performance.now();
  let next = 0;
  let done = 0;
  let stopReason: string | undefined;
  let perRunMs: number | undefined;
  // Ordered hand-over: batch k's verdicts wait until batches 0..k-1 are handed on.
  let dispatched = 0;
  let handedOn = 0;
  const finished = new Map<number, SeedVerdict[]>();
  const first = new Map<number, WorkerSample>();
  const last = new Map<number, WorkerSample>();
  let warm: Mark | undefined;

  const budgetLeft = () =>
    run.timeBudgetMs === undefined ? undefined : run.timeBudgetMs - (performance.now() - started);
  const loop = async (): Promise<void> => {
    while (next < seeds.length && stopReason === undefined) {
      const left = budgetLeft();
      if (left !== undefined && left <= 0) {
        stopReason = 'time budget spent';
        return;
      }
      const size =
        run.batch ?? batchSize({ perRunMs, remaining: seeds.length - next, workers, budgetLeftMs: left });
      const slice = seeds.slice(next, next + size);
      next += slice.length;
      const index = dispatched++;
      const task: ExploreTask = {
        file: run.file,
        replayFile: run.replayFile ?? run.file,
        seeds: slice,
        until: run.until,
        swarm: run.swarm,
        invariants: run.invariants,
      };
      const result = (await pool.run(task)) as BatchResult;
      const { verdicts, runMs, worker } = result;
      const perRun = runMs / Math.max(1, verdicts.length);
      perRunMs = perRunMs === undefined ? perRun : 0.7 * perRunMs + 0.3 * perRun;
      if (!first.has(worker.threadId)) first.set(worker.threadId, worker);
      last.set(worker.threadId, worker);
      done += verdicts.length;
      for (const v of verdicts) if (v.failed) failures.push(v);
      if (warm === undefined && first.size === workers) warm = mark(done);
      finished.set(index, verdicts);
      while (finished.has(handedOn)) {
        for (const v of finished.get(handedOn)!) run.onVerdict?.(v);
        finished.delete(handedOn++);
      }
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
  const end = mark(done);
  const seconds = (end.at - started) / 1000;
  const steady = warm && steadyState(warm, end, createdAt, first, last);
  return {
    done,
    failures,
    seconds,
    runsPerSecond: done / Math.max(seconds, 1e-9),
    startupSeconds: warm ? (warm.at - started) / 1000 : undefined,
    steady,
    steadyRunsPerSecond: steady?.runsPerSecond,
    stopReason,
  };
}

function steadyState(
  warm: Mark,
  end: Mark,
  createdAt: number,
  first: ReadonlyMap<number, WorkerSample>,
  last: ReadonlyMap<number, WorkerSample>,
): SteadyState | undefined {
  const runs = end.done - warm.done;
  const ms = end.at - warm.at;
  if (runs < first.size || ms <= 0) return undefined;
  const workers: WorkerReport[] = [];
  for (const [id, a] of first) {
    const b = last.get(id)!;
    const windowMs = b.at - a.at;
    workers.push({
      threadId: id,
      startupMs: a.loadedAt - createdAt,
      startupCpuMs: a.startupCpuMs,
      runs: b.runs - a.runs,
      busyShare: windowMs > 0 ? (b.busyMs - a.busyMs) / windowMs : 1,
      elu: performance.eventLoopUtilization(b.elu, a.elu).utilization,
      cpuMs: a.usage && b.usage ? b.usage.cpuMs - a.usage.cpuMs : undefined,
      waitMs:
        a.usage?.waitMs !== undefined && b.usage?.waitMs !== undefined
          ? b.usage.waitMs - a.usage.waitMs
          : undefined,
    });
  }
  const workerRuns = workers.reduce((s, w) => s + w.runs, 0);
  const workerCpu = workers.every((w) => w.cpuMs !== undefined)
    ? workers.reduce((s, w) => s + w.cpuMs!, 0) / Math.max(1, workerRuns)
    : undefined;
  const total =
    (end.process.user + end.process.system - warm.process.user - warm.process.system) / 1000 / runs;
  const main = warm.main && end.main ? (end.main.cpuMs - warm.main.cpuMs) / runs : undefined;
  return {
    seconds: ms / 1000,
    runs,
    runsPerSecond: (runs * 1000) / ms,
    cpuMsPerRun: {
      workers: workerCpu,
      main,
      background:
        workerCpu !== undefined && main !== undefined ? Math.max(0, total - workerCpu - main) : undefined,
      total,
    },
    mainElu: performance.eventLoopUtilization(end.elu, warm.elu).utilization,
    workers,
  };
}

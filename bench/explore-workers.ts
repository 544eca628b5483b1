/*
 * `faultline explore` with 1 worker vs 2 workers. The issue asks for >= 1.7x
 * the runs/s on a 2-core machine.
 *
 * What it measures, per configuration, on the built CLI code (dist/, as the
 * bin runs it):
 * - start-up, reported apart: pool creation until every worker has run its
 *   first seed (thread start, tsx's loader, importing the scenario), and each
 *   worker's own start-up wall and CPU time;
 * - the steady state, at least FAULTLINE_BENCH_SECONDS (default 10) of every
 *   worker running, which is what an explore of thousands of seeds is made of:
 *   runs/s, and CPU per run split into the worker threads, the main thread and
 *   the process's other threads (V8's GC and compiler helpers), the workers'
 *   busy share and event-loop utilization, and the time they waited for a core
 *   that another process had (Linux run-queue wait: the machine was not quiet).
 * Rounds (FAULTLINE_BENCH_ROUNDS, default 3) alternate 1 and 2 workers; the
 * spread is printed. An in-process anchor runs the same scenario on the main
 * thread, with and without hashing each trace (what the workers used to do for
 * every passing seed).
 *
 * Measured on the 2-core development machine (3 rounds, load average 1.3-1.9 from other
 * work): 1 worker 434 runs/s, 2 workers 790 runs/s, 1.82x (rounds 1.74-1.85); runs per
 * CPU-second 1.02x; CPU per run 2.5 ms = worker 2.2 + GC/JIT helper threads 0.25-0.3 (~11%).
 * Before the per-run getters stopped keeping each run alive through young GCs
 * (src/simulators/live-getters.ts): 374 and 582 runs/s, 1.56x, helpers 0.65 ms per run
 * (~26%); before the allocation cuts (bench/explore-alloc.ts): 246 and 384 runs/s.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ExploreOutcome, SteadyState } from '../src/cli/explore.js';

const file = fileURLToPath(new URL('../test/cli/fixtures/flaky-llm.ts', import.meta.url));
const seconds = Number(process.env.FAULTLINE_BENCH_SECONDS ?? 10);
const rounds = Number(process.env.FAULTLINE_BENCH_ROUNDS ?? 3);

type Dist<T> = Promise<T>;
const dist = <T>(path: string): Dist<T> => import(new URL(`../dist/cli/${path}`, import.meta.url).href);

const f1 = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(1));
const f2 = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(2));
const pct = (n: number) => `${Math.round(n * 100)}%`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The scenario on the main thread, no workers: CPU per run with and without hashing the trace. */
async function inProcess(ms: number): Promise<{ plain: number; hashed: number; perRunMs: number }> {
  const { loadScenario } = await dist<typeof import('../src/cli/load-scenario.js')>('load-scenario.js');
  const { execute } = await dist<typeof import('../src/cli/execute.js')>('execute.js');
  const scenario = await loadScenario(file);
  const measure = async (hash: boolean, from: number) => {
    for (let s = 0; s < 30; s++) await execute(scenario, { file, seed: from - 1 - s });
    const cpu = process.cpuUsage();
    const began = performance.now();
    let n = 0;
    while (performance.now() - began < ms) {
      const run = await execute(scenario, { file, seed: from + n++ });
      if (hash) void run.result?.trace.hash;
    }
    const used = process.cpuUsage(cpu);
    return { cpuPerRun: (used.user + used.system) / 1000 / n, wallPerRun: (performance.now() - began) / n };
  };
  const plain = await measure(false, 500_000);
  const hashed = await measure(true, 600_000);
  return { plain: plain.cpuPerRun, hashed: hashed.cpuPerRun, perRunMs: plain.wallPerRun };
}

export async function main(): Promise<void> {
  const { explore } = await dist<typeof import('../src/cli/explore.js')>('explore.js');
  let from = 1;
  const once = async (workers: number, steadyMs: number): Promise<ExploreOutcome> => {
    const seeds = Array.from({ length: 1_000_000 }, (_, k) => from + k);
    from += 1_000_000;
    // The budget counts from pool creation; start-up takes a few seconds at most.
    return explore({ file, seeds, workers, keepGoing: true, timeBudgetMs: steadyMs + 3000 });
  };
  console.log(
    `  scenario test/cli/fixtures/flaky-llm.ts; ${rounds} round(s) of ~${seconds} s steady state per configuration; load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const anchor = await inProcess(Math.min(3000, seconds * 300));
  console.log(
    `  in-process anchor (main thread, no workers): ${f2(anchor.plain)} ms CPU per run (${f1(1000 / anchor.perRunMs)} runs/s); hashing each trace would add ${f2(anchor.hashed - anchor.plain)} ms (+${pct(anchor.hashed / anchor.plain - 1)}): the workers no longer hash passing seeds`,
  );
  await once(2, 1000); // warm-up: file system cache, tsx's transform cache

  const rows: { workers: number; round: number; steady: SteadyState; startup: number }[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const workers of [1, 2]) {
      const load = loadavg()[0]!;
      const outcome = await once(workers, seconds * 1000);
      const steady = outcome.steady;
      if (!steady || outcome.startupSeconds === undefined) throw new Error('explore bench: no steady state');
      rows.push({ workers, round, steady, startup: outcome.startupSeconds });
      const c = steady.cpuMsPerRun;
      const waited =
        steady.workers.reduce((s, w) => s + (w.waitMs ?? 0), 0) / (steady.seconds * 1000 * workers);
      console.log(
        `  round ${round}, ${workers} worker(s): steady ${f1(steady.runsPerSecond)} runs/s over ${f1(steady.seconds)} s (${steady.runs} runs); overall ${f1(outcome.runsPerSecond)} runs/s; load ${load.toFixed(2)}`,
      );
      console.log(
        `    start-up ${f2(outcome.startupSeconds)} s to every worker's first result; per worker ${steady.workers
          .map(
            (w) =>
              `${Math.round(w.startupMs)} ms wall / ${w.startupCpuMs === undefined ? '?' : Math.round(w.startupCpuMs)} ms CPU`,
          )
          .join(', ')} (thread start, tsx loader, scenario import)`,
      );
      console.log(
        `    CPU per run: ${f2(c.total)} ms = workers ${f2(c.workers)} + main ${f2(c.main)} + GC/JIT threads ${f2(c.background)}; workers busy ${steady.workers.map((w) => pct(w.busyShare)).join('/')}, ELU ${steady.workers.map((w) => w.elu.toFixed(2)).join('/')}; main ELU ${steady.mainElu.toFixed(3)}; workers waited for a core ${pct(waited)} of the time`,
      );
    }
  }

  const of = (w: number) => rows.filter((r) => r.workers === w);
  const rps = (w: number) => of(w).map((r) => r.steady.runsPerSecond);
  const cpu = (w: number) => of(w).map((r) => r.steady.cpuMsPerRun.total);
  const ratios = Array.from({ length: rounds }, (_, i) => rps(2)[i]! / rps(1)[i]!);
  const spread = (xs: number[], f: (n: number) => string) =>
    `median ${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
  console.log(`  1 worker: ${spread(rps(1), f1)} runs/s, ${spread(cpu(1), f2)} ms CPU per run`);
  console.log(`  2 workers: ${spread(rps(2), f1)} runs/s, ${spread(cpu(2), f2)} ms CPU per run`);
  console.log(
    `  2 workers / 1 worker: ${f2(median(rps(2)) / median(rps(1)))}x steady runs/s (per round ${ratios.map(f2).join(', ')}; target >= 1.7x, needs two idle cores); runs per CPU-second ${f2(median(cpu(1)) / median(cpu(2)))}x (1.0 = the second worker costs nothing extra per run)`,
  );
  // What two idle cores allow: one worker runs its seeds on one core while its GC and JIT
  // helper threads use the other; two workers share both cores with all of it.
  const w1 = median(of(1).map((r) => r.steady.cpuMsPerRun.workers ?? r.steady.cpuMsPerRun.total));
  const t2 = median(cpu(2));
  const two = of(2)[0]!.steady.cpuMsPerRun;
  const share = (n: number | undefined) => (n === undefined ? '?' : pct(n / two.total));
  console.log(
    `  where a run's CPU goes with 2 workers: worker threads ${share(two.workers)}, GC/JIT helper threads ${share(two.background)}, main thread ${share(two.main)}`,
  );
  console.log(
    `  CPU-bound model for two idle cores: 1 worker ≈ 1000 / ${f2(w1)} ms (its worker thread; helpers use the other core) = ${f1(1000 / w1)} runs/s; 2 workers ≈ 2000 / ${f2(t2)} ms (every thread) = ${f1(2000 / t2)} runs/s: ≈ ${f2(Math.min(2, (2 * w1) / t2))}x`,
  );
  console.log(
    `  start-up: ${spread(
      of(1).map((r) => r.startup),
      f2,
    )} s with 1 worker, ${spread(
      of(2).map((r) => r.startup),
      f2,
    )} s with 2; paid once per explore, so a short explore mostly measures it`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

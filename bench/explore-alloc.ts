/*
 * Allocation and GC per run of the explore bench's scenario
 * (test/cli/fixtures/flaky-llm.ts), in one process on the main thread, as a
 * worker runs it: load via dist/cli/load-scenario.js, run and check
 * `invariants.all()` via dist/cli/execute.js. Needs `npm run build`.
 *
 *   node --trace-gc-nvp --import tsx bench/explore-alloc.ts   (V8 per-scavenge detail: allocated=, promoted=)
 *   FAULTLINE_ALLOC_PROFILE=1 npx tsx bench/explore-alloc.ts  (who allocates)
 *
 * Prints scavenges and mark-compacts per run (PerformanceObserver 'gc'), GC
 * pause per run, and bytes allocated per run (from V8's sampling heap profiler,
 * via node:inspector, when FAULTLINE_ALLOC_PROFILE=1: top allocating functions).
 */
import { Session } from 'node:inspector/promises';
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const file = fileURLToPath(new URL('../test/cli/fixtures/flaky-llm.ts', import.meta.url));
const runs = Number(process.env.FAULTLINE_ALLOC_RUNS ?? 400);
const dist = <T>(path: string): Promise<T> => import(new URL(`../dist/cli/${path}`, import.meta.url).href);

const { loadScenario } = await dist<typeof import('../src/cli/load-scenario.js')>('load-scenario.js');
const { execute } = await dist<typeof import('../src/cli/execute.js')>('execute.js');
const scenario = await loadScenario(file);
for (let s = 0; s < 50; s++) await execute(scenario, { file, seed: 900_000 + s });

const counts = { minor: 0, major: 0, other: 0, pauseMs: 0 };
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.minor++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
    else counts.other++;
    counts.pauseMs += e.duration;
  }
});
obs.observe({ entryTypes: ['gc'] });

const profile = process.env.FAULTLINE_ALLOC_PROFILE !== undefined;
const session = new Session();
if (profile) {
  session.connect();
  await session.post('HeapProfiler.enable');
  // Every 1 KiB sampled; GC'd samples kept, so the profile counts everything allocated.
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    // FAULTLINE_ALLOC_PROFILE=survivors: only objects that no scavenge has freed, i.e.
    // what the runs promote to the old generation (freed by a full GC later or still live).
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.FAULTLINE_ALLOC_PROFILE === '1',
  } as never);
}

const heapBefore = v8.getHeapStatistics();
const cpu = process.cpuUsage();
const began = performance.now();
let events = 0;
let failed = 0;
for (let n = 0; n < runs; n++) {
  const run = await execute(scenario, {
    file,
    seed: 1 + n,
    invariants: process.env.FAULTLINE_ALLOC_INVARIANTS !== '0',
  });
  events += run.result?.trace.length ?? 0;
  if (run.failed) failed++;
}
const wall = performance.now() - began;
const used = process.cpuUsage(cpu);
await new Promise((r) => setTimeout(r, 50));
obs.disconnect();
const heapAfter = v8.getHeapStatistics();

console.log(
  `${runs} runs, ${(events / runs).toFixed(0)} events/run, ${failed} failed; ${((used.user + used.system) / 1000 / runs).toFixed(2)} ms CPU/run, ${(wall / runs).toFixed(2)} ms wall/run`,
);
console.log(
  `per run: ${(counts.minor / runs).toFixed(2)} scavenges, ${(counts.major / runs).toFixed(3)} mark-compacts (${counts.other} other), GC pause ${(counts.pauseMs / runs).toFixed(3)} ms`,
);
console.log(
  `heap used ${(heapBefore.used_heap_size / 1e6).toFixed(1)} -> ${(heapAfter.used_heap_size / 1e6).toFixed(1)} MB`,
);

if (profile) {
  const { profile: p } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: Node };
  };
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    selfSize: number;
    children: Node[];
  }
  const byFn = new Map<string, number>();
  let total = 0;
  const walk = (n: Node) => {
    const url = n.callFrame.url.replace(/^.*\/(dist|src|node_modules)\//, '$1/');
    const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(p.head);
  console.log(`sampled allocation: ${(total / runs / 1024).toFixed(1)} KiB per run`);
  const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.FAULTLINE_ALLOC_TOP ?? 40));
  for (const [k, v] of top) console.log(`  ${(v / runs / 1024).toFixed(1).padStart(7)} KiB ${k}`);
}

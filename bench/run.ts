/*
 * Runs every benchmark in bench/, each in a process of its own, and prints their ratios.
 * One process per bench: a bench run after another inherits its heap (the kernel bench's
 * million-event trace, say) and its JIT state, which slowed fake-timers' garbage-heavy
 * runs more than faultline's and inflated the property-runs ratio from 1.4× to 1.8×.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  'kernel-throughput',
  'property-runs',
  'property-budget',
  'resilience-overhead',
  'patterns-overhead',
  'time-compression',
  'http-boundary',
  'explore-workers',
];
for (const name of benches) {
  console.log(`\n=== ${name}`);
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  // The same node and loader flags as this process (tsx's), on the bench's own file.
  execFileSync(process.execPath, [...process.execArgv, file], { stdio: 'inherit' });
}

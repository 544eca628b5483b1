/* Runs every benchmark in bench/ in one process and prints their ratios. */
import { main as exploreWorkers } from './explore-workers.js';
import { main as httpBoundary } from './http-boundary.js';
import { main as kernel } from './kernel-throughput.js';
import { main as patterns } from './patterns-overhead.js';
import { main as propertyBudget } from './property-budget.js';
import { main as propertyRuns } from './property-runs.js';
import { main as resilience } from './resilience-overhead.js';
import { main as timeCompression } from './time-compression.js';

const benches: [string, () => Promise<void>][] = [
  ['kernel-throughput', kernel],
  ['property-runs', propertyRuns],
  ['property-budget', propertyBudget],
  ['resilience-overhead', resilience],
  ['patterns-overhead', patterns],
  ['time-compression', timeCompression],
  ['http-boundary', httpBoundary],
  ['explore-workers', exploreWorkers],
];
for (const [name, run] of benches) {
  console.log(`\n=== ${name}`);
  await run();
}

/*
 * Per-call overhead of faultline's bulkhead, rate limiter and load balancer on
 * their fast paths (a free slot, a token in the bucket, a healthy backend),
 * measured in one process against cockatiel's bulkhead and a plain call, in
 * alternating rounds so that all see the same machine state. Overhead = time per
 * call minus the plain call's. Machines are noisy: read the ratios.
 *
 * Run: npx tsx bench/patterns-overhead.ts
 */
import { performance } from 'node:perf_hooks';
import { bulkhead as cockatielBulkhead } from 'cockatiel';
import { bulkhead } from '../src/resilience/bulkhead.js';
import { loadBalancer } from '../src/resilience/load-balancer.js';
import { rateLimiter } from '../src/resilience/rate-limiter.js';

type Call = () => Promise<unknown>;

const CALLS_PER_ROUND = 200_000;
const ROUNDS = 7;

async function timeRound(call: Call, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return performance.now() - start;
}

/** Median ns per call of each entry, over rounds that rotate the order. */
async function measure(calls: Record<string, Call>): Promise<Record<string, number>> {
  const names = Object.keys(calls);
  for (const name of names) await timeRound(calls[name]!, CALLS_PER_ROUND / 4);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      times[name]!.push(await timeRound(calls[name]!, CALLS_PER_ROUND));
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(names.map((n) => [n, (median(times[n]!) / CALLS_PER_ROUND) * 1e6]));
}

export async function main(): Promise<void> {
  const work = () => Promise.resolve(1);
  const ours = bulkhead({ maxConcurrent: 10, maxQueue: 0 });
  const theirs = cockatielBulkhead(10, 0);
  const limiter = rateLimiter({ rate: 1e12, burst: 1_000_000 });
  const backends = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
  const lb = loadBalancer({ backends, strategy: 'round_robin' });
  const ns = await measure({
    plain: () => work(),
    'cockatiel bulkhead': () => theirs.execute(work),
    bulkhead: () => ours.execute(work),
    rateLimiter: () => limiter.execute(work),
    loadBalancer: () => lb.execute(work),
  });
  const plain = ns.plain!;
  const anchor = ns['cockatiel bulkhead']! - plain;
  console.log(`plain call                     ${plain.toFixed(1).padStart(7)} ns/call`);
  for (const name of ['cockatiel bulkhead', 'bulkhead', 'rateLimiter', 'loadBalancer']) {
    const overhead = ns[name]! - plain;
    const vs =
      name === 'cockatiel bulkhead' ? '' : `   overhead / cockatiel's ${(overhead / anchor).toFixed(2)}x`;
    console.log(
      `${name.padEnd(28)}   ${ns[name]!.toFixed(1).padStart(7)} ns/call   overhead ${overhead.toFixed(1).padStart(6)} ns${vs}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}

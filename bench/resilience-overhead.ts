/*
 * Per-call overhead of faultline's breaker (closed fast path) and retry (first
 * attempt succeeds) against cockatiel's equivalents, measured in one process,
 * alternating rounds so that both see the same machine state. Machines are
 * noisy: read the ratios, not the absolute numbers.
 *
 * Run: npx tsx bench/resilience-overhead.ts
 */
import { performance } from 'node:perf_hooks';
import {
  ConsecutiveBreaker,
  circuitBreaker as cockatielBreaker,
  retry as cockatielRetry,
  handleAll,
} from 'cockatiel';
import { circuitBreaker } from '../src/resilience/circuit-breaker.js';
import { retry } from '../src/resilience/retry.js';

type Call = () => Promise<unknown>;

const CALLS_PER_ROUND = 200_000;
const ROUNDS = 7;

async function timeRound(call: Call, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return performance.now() - start;
}

/** Ops/s of `a` and `b`: median over alternating rounds, after a warm-up of each. */
async function compare(a: Call, b: Call): Promise<[number, number]> {
  await timeRound(a, CALLS_PER_ROUND / 4);
  await timeRound(b, CALLS_PER_ROUND / 4);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      ta.push(await timeRound(a, CALLS_PER_ROUND));
      tb.push(await timeRound(b, CALLS_PER_ROUND));
    } else {
      tb.push(await timeRound(b, CALLS_PER_ROUND));
      ta.push(await timeRound(a, CALLS_PER_ROUND));
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [(CALLS_PER_ROUND / median(ta)) * 1000, (CALLS_PER_ROUND / median(tb)) * 1000];
}

function report(label: string, ours: number, theirs: number): void {
  const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M ops/s`;
  console.log(
    `${label.padEnd(28)} faultline ${fmt(ours).padStart(14)}   cockatiel ${fmt(theirs).padStart(14)}   ratio ${(ours / theirs).toFixed(2)}x`,
  );
}

export async function main(): Promise<void> {
  const work = () => Promise.resolve(1);

  const ours = circuitBreaker({ failureThreshold: 5, timeout: 10_000 });
  const theirs = cockatielBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  const [b1, b2] = await compare(
    () => ours.execute(work),
    () => theirs.execute(work),
  );
  report('breaker.execute (closed)', b1, b2);

  const ourRetry = retry({ maxRetries: 3 });
  const theirRetry = cockatielRetry(handleAll, { maxAttempts: 3 });
  const [r1, r2] = await compare(
    () => ourRetry.execute(work),
    () => theirRetry.execute(work),
  );
  report('retry.execute (1st success)', r1, r2);

  // The signal `fn` gets without a caller signal keeps no listeners (time/never-aborted.ts).
  // Against a plain shared AbortSignal (what the fast path handed out before), same path:
  const plain = new AbortController().signal;
  const [d1, d2] = await compare(
    () => ours.execute(work),
    () => ours.execute(work, plain),
  );
  console.log(
    `${'breaker default signal'.padEnd(28)} never-aborted ${(d1 / 1e6).toFixed(2)} M ops/s   plain signal ${(d2 / 1e6).toFixed(2)} M ops/s   ratio ${(d1 / d2).toFixed(2)}x`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}

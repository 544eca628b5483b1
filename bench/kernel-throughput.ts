/*
 * Kernel throughput: 50 concurrent tasks × 2,000 seeded sleeps of 1–100 ms
 * (100,000 timer events), run by `simulate` (trace recording on) and by
 * @sinonjs/fake-timers `createClock` + `runAllAsync`, alternated in one process.
 * Prints events/s for both and the ratio; then heap bytes per trace event for 1M events.
 */
import FakeTimers from '@sinonjs/fake-timers';
import seedrandom from 'seedrandom';
import { simulate } from '../src/index.js';

const TASKS = 50;
const SLEEPS = 2000;
const EVENTS = TASKS * SLEEPS;

function delays(seed: number): Uint8Array[] {
  const rng = seedrandom.alea(String(seed));
  return Array.from({ length: TASKS }, () =>
    Uint8Array.from({ length: SLEEPS }, () => 1 + Math.floor(rng() * 100)),
  );
}

async function runFaultline(plan: Uint8Array[]): Promise<number> {
  const start = performance.now();
  const result = await simulate({ seed: 1 }, async (sim) => {
    await Promise.all(
      plan.map((ds, k) =>
        sim.spawn(`task-${k}`, async () => {
          for (let i = 0; i < ds.length; i++) await new Promise<void>((r) => setTimeout(r, ds[i]));
        }),
      ),
    );
  });
  const elapsed = performance.now() - start;
  if (result.stats.steps !== EVENTS) throw new Error(`expected ${EVENTS} steps, got ${result.stats.steps}`);
  return elapsed;
}

async function runFakeTimers(plan: Uint8Array[]): Promise<number> {
  const start = performance.now();
  const clock = FakeTimers.createClock(0, EVENTS * 2);
  let fired = 0;
  const all = Promise.all(
    plan.map(async (ds) => {
      for (let i = 0; i < ds.length; i++) {
        await new Promise<void>((r) => clock.setTimeout(() => r(), ds[i]!));
        fired++;
      }
    }),
  );
  await clock.runAllAsync();
  await all;
  const elapsed = performance.now() - start;
  if (fired !== EVENTS) throw new Error(`fake-timers fired ${fired}`);
  return elapsed;
}

async function heapPerEvent(): Promise<void> {
  const n = 1_000_000;
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const result = await simulate({ seed: 2 }, async (sim) => {
    for (let i = 0; i < n; i++) sim.emit('bench.event', { i, ok: true }, 'bench');
  });
  globalThis.gc?.();
  const after = process.memoryUsage().heapUsed;
  console.log(
    `trace memory: ${result.trace.length} events, ${Math.round((after - before) / result.trace.length)} heap bytes/event` +
      (globalThis.gc ? '' : ' (approximate: run node with --expose-gc for a precise figure)'),
  );
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(rounds = 5): Promise<void> {
  console.log(
    `kernel throughput: ${TASKS} tasks × ${SLEEPS} sleeps = ${EVENTS} timer events, ${rounds} alternated rounds`,
  );
  const plan = delays(42);
  const ours: number[] = [];
  const theirs: number[] = [];
  await runFaultline(plan); // warm-up
  await runFakeTimers(plan);
  for (let r = 0; r < rounds; r++) {
    ours.push(await runFaultline(plan));
    theirs.push(await runFakeTimers(plan));
  }
  const a = EVENTS / (median(ours) / 1000);
  const b = EVENTS / (median(theirs) / 1000);
  console.log(
    `  faultline simulate:           ${(a / 1e6).toFixed(3)} M events/s (median ${median(ours).toFixed(1)} ms)`,
  );
  console.log(
    `  fake-timers runAllAsync:      ${(b / 1e6).toFixed(3)} M events/s (median ${median(theirs).toFixed(1)} ms)`,
  );
  console.log(`  ratio simulate / fake-timers: ${(a / b).toFixed(2)}×`);
  await heapPerEvent();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

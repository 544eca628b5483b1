/*
 * Property runs: many small sequential simulations, the shape of a property test.
 * One round is one `fc.assert` of RUNS runs; each run is one `simulate` of a single
 * agent making CALLS sequential calls through `sim.breaker` to a `sim.service`
 * (20 ms latency, generated error rate) with a 10 ms pause after each call, so a
 * run is ≈ 400 timer steps. Contenders, alternated in one process:
 *
 * - `simulate`: faultline (trace on), `sim.service` and `sim.breaker` bound to the run;
 * - `checkResilience` with `invariants.breaker()` on the same scenario;
 * - `fake-timers, same primitives`: @sinonjs/fake-timers `createClock` +
 *   `runAllAsync` driving the same faultline `createService` and `circuitBreaker`
 *   (with a trace) through a `Clock` on the fake clock: only the kernel differs;
 * - `fake-timers, lean`: the same breaker on the fake clock calling a hand-written
 *   three-line service (seeded errors, same latency) and no trace: the cheapest
 *   fake-timers harness, doing less work per call than faultline's service.
 *
 * Prints runs/s, µs per timer step (wall and CPU: the machine is shared, CPU
 * time is the steadier figure) and the ratios to each fake-timers variant
 * (median over rounds, with the per-round spread).
 *
 * Target (issue 9): ≥ 3× fake-timers, 1,000 runs ≤ 1.5 s. Measured on the shared 2-core
 * development machine (quiet, medians of 5 rounds, CPU): Node 20, simulate 1,193 runs/s
 * (1,000 in 0.82–0.87 s), 1.39× fake-timers with the same primitives, checkResilience 1.25×;
 * Node 26 (the quiescence hook skips promises there), 1,666 runs/s, 1.92×, checkResilience
 * 1.74×. bench/property-budget.ts shows why 3× is out of reach (docs/kernel.md, Performance).
 * Run: npx tsx bench/property-runs.ts [rounds]
 */
import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { faults, simulate } from '../src/index.js';
import { checkResilience, invariants } from '../src/properties/index.js';
import { seededRandom } from '../src/random/random.js';
import { circuitBreaker } from '../src/resilience/circuit-breaker.js';
import { createService } from '../src/simulators/services/service.js';
import type { Sim } from '../src/simulators/sim.js';
import { type Clock, sleepWith } from '../src/time/clock.js';
import { Trace } from '../src/trace/trace.js';

export const RUNS = 1000;
export const CALLS = 200;
export const LATENCY_MS = 20;
export const PAUSE_MS = 10;

export interface Input {
  config: { failureThreshold: number; successThreshold: number; timeout: number };
  rate: number;
}

export const input: fc.Arbitrary<Input> = fc.record({
  config: fc.record({
    failureThreshold: fc.integer({ min: 3, max: 6 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
    timeout: fc.integer({ min: 50, max: 500 }),
  }),
  rate: fc.integer({ min: 0, max: 15 }).map((p) => p / 100),
});

const ignore = () => {};

export async function scenario(sim: Sim, { config, rate }: Input): Promise<void> {
  const api = sim.service('api', {
    latency: LATENCY_MS,
    faults: [faults.errors({ rate, status: 503 })],
    handle: () => 'ok',
  });
  const breaker = sim.breaker('api', config);
  for (let i = 0; i < CALLS; i++) {
    await breaker.execute(() => api.call(i)).catch(ignore);
    await sim.sleep(PAUSE_MS);
  }
}

let steps = 0;
export const runSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** A round: one `fc.assert` of RUNS runs; returns [wall ms, CPU ms]. */
export async function timed(round: () => Promise<unknown>): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await round();
  const used = process.cpuUsage(cpu);
  return [performance.now() - start, (used.user + used.system) / 1000];
}

export const simulateRound = (seed: number) =>
  timed(() => {
    steps = 0;
    return fc.assert(
      fc.asyncProperty(input, runSeed, async (values, s) => {
        const result = await simulate({ seed: s }, (sim) => scenario(sim, values));
        if (result.error !== undefined) throw result.error;
        steps += result.stats.steps;
      }),
      { numRuns: RUNS, seed },
    );
  });

const checkResilienceRound = (seed: number) =>
  timed(() =>
    checkResilience({
      arbitraries: { values: input },
      scenario: (sim, { values }) => scenario(sim, values),
      invariants: [invariants.breaker()],
      numRuns: RUNS,
      seed,
      failures: false,
    }),
  );

function fakeClock(clock: ReturnType<typeof FakeTimers.createClock>): Clock {
  const c: Clock = {
    now: () => clock.now,
    setTimer: (ms, fn) => {
      const id = clock.setTimeout(fn, ms);
      return { cancel: () => clock.clearTimeout(id) };
    },
    sleep: (ms, signal) => sleepWith(c, ms, signal),
  };
  return c;
}

/** Runs `body` on a fresh fake clock to the end (`runAllAsync`). */
export async function onFakeClock(body: (clock: Clock) => Promise<void>): Promise<void> {
  const fake = FakeTimers.createClock(0, 100_000);
  const done = body(fakeClock(fake));
  await fake.runAllAsync();
  await done;
}

async function calls(
  clock: Clock,
  call: (i: number) => Promise<unknown>,
  config: Input['config'],
  trace?: Trace,
) {
  const breaker = circuitBreaker({ ...config, name: 'api', clock, ...(trace ? { trace } : {}) });
  for (let i = 0; i < CALLS; i++) {
    await breaker.execute(() => call(i)).catch(ignore);
    await clock.sleep(PAUSE_MS);
  }
}

/** faultline's own service, breaker and trace on the fake clock. */
export const samePrimitives = ({ config, rate }: Input, s: number) =>
  onFakeClock((clock) => {
    const trace = new Trace(() => clock.now());
    const api = createService({ clock, random: seededRandom(s).fork('service:api'), trace }, 'api', {
      latency: LATENCY_MS,
      faults: [faults.errors({ rate, status: 503 })],
      handle: () => 'ok',
    });
    return calls(clock, (i) => api.call(i), config, trace);
  });

/** A hand-written service, no trace. */
const lean = ({ config, rate }: Input, s: number) =>
  onFakeClock((clock) => {
    const rng = seedrandom.alea(String(s));
    const call = async () => {
      await clock.sleep(LATENCY_MS);
      if (rng() < rate) throw Object.assign(new Error('503 Service Unavailable'), { status: 503 });
      return 'ok';
    };
    return calls(clock, call, config);
  });

export const fakeRound = (run: (values: Input, s: number) => Promise<void>) => (seed: number) =>
  timed(() => fc.assert(fc.asyncProperty(input, runSeed, run), { numRuns: RUNS, seed }));

export const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(rounds = 5): Promise<void> {
  console.log(
    `property runs: ${RUNS} fc.assert runs × ${CALLS} sequential breaker calls, ${rounds} alternated rounds`,
  );
  const contenders: [string, (seed: number) => Promise<[number, number]>][] = [
    ['simulate', simulateRound],
    ['checkResilience + breaker()', checkResilienceRound],
    ['fake-timers, same primitives', fakeRound(samePrimitives)],
    ['fake-timers, lean', fakeRound(lean)],
  ];
  const wall = contenders.map(() => [] as number[]);
  const cpu = contenders.map(() => [] as number[]);
  for (const [, round] of contenders) await round(1); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const [w, c] = await contenders[i]![1](100 + r);
      wall[i]!.push(w);
      cpu[i]!.push(c);
    }
  }
  const stepsPerRun = steps / RUNS;
  const us = (ms: number) => ((ms * 1000) / (RUNS * stepsPerRun)).toFixed(2);
  console.log(
    `  ${stepsPerRun.toFixed(0)} timer steps per run (faultline's count); target: ≥ 3× fake-timers, ${RUNS} runs ≤ 1.5 s`,
  );
  contenders.forEach(([name], i) => {
    const w = median(wall[i]!);
    const c = median(cpu[i]!);
    console.log(
      `  ${`${name}:`.padEnd(30)} ${(RUNS / (w / 1000)).toFixed(0).padStart(5)} runs/s, ${us(w)} µs/step wall (${Math.min(...wall[i]!).toFixed(0)}–${Math.max(...wall[i]!).toFixed(0)} ms a round), ${us(c)} µs/step CPU`,
    );
  });
  const ratio = (a: number, b: number, xs: number[][]) => {
    const rs = xs[b]!.map((x, r) => x / xs[a]![r]!);
    return `${median(rs).toFixed(2)}× (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
  };
  for (const a of [0, 1]) {
    for (const b of [2, 3]) {
      console.log(
        `  ratio ${contenders[a]![0]} / ${contenders[b]![0]}: wall ${ratio(a, b, wall)}, CPU ${ratio(a, b, cpu)}`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(Number(process.argv[2] ?? 5));

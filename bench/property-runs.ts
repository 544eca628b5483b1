/*
 * Property runs: many small sequential simulations, the shape of a property test.
 * One round is one `fc.assert` of RUNS runs; each run is one `simulate` of a single
 * agent making CALLS sequential calls through `sim.breaker` to a `sim.service`
 * (20 ms latency, generated error rate) with a 10 ms pause after each call, so a
 * run is ≈ 380 timer steps. Three contenders, alternated in one process:
 *
 * - faultline `simulate` (trace on), the breaker and service bound to the run;
 * - @sinonjs/fake-timers `createClock` + `runAllAsync`, driving the same
 *   faultline `circuitBreaker` through a `Clock` on the fake clock, and an
 *   equivalent hand-written service (seeded errors, same latency);
 * - `checkResilience` with `invariants.breaker()` on the same scenario.
 *
 * Prints runs/s, µs per timer step and the ratios to fake-timers (median and spread).
 * Run: npx tsx bench/property-runs.ts [rounds]
 */
import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { faults, simulate } from '../src/index.js';
import { checkResilience, invariants } from '../src/properties/index.js';
import { circuitBreaker } from '../src/resilience/circuit-breaker.js';
import type { Sim } from '../src/simulators/sim.js';
import { type Clock, sleepWith } from '../src/time/clock.js';

const RUNS = 1000;
const CALLS = 200;
const LATENCY_MS = 20;
const PAUSE_MS = 10;

interface Input {
  config: { failureThreshold: number; successThreshold: number; timeout: number };
  rate: number;
}

const input: fc.Arbitrary<Input> = fc.record({
  config: fc.record({
    failureThreshold: fc.integer({ min: 3, max: 6 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
    timeout: fc.integer({ min: 50, max: 500 }),
  }),
  rate: fc.integer({ min: 0, max: 15 }).map((p) => p / 100),
});

const ignore = () => {};

async function scenario(sim: Sim, { config, rate }: Input): Promise<void> {
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

async function faultlineRound(seed: number): Promise<number> {
  steps = 0;
  const start = performance.now();
  await fc.assert(
    fc.asyncProperty(input, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (values, runSeed) => {
      const result = await simulate({ seed: runSeed }, (sim) => scenario(sim, values));
      if (result.error !== undefined) throw result.error;
      steps += result.stats.steps;
    }),
    { numRuns: RUNS, seed },
  );
  return performance.now() - start;
}

async function checkResilienceRound(seed: number): Promise<number> {
  const start = performance.now();
  await checkResilience({
    arbitraries: { values: input },
    scenario: (sim, { values }) => scenario(sim, values),
    invariants: [invariants.breaker()],
    numRuns: RUNS,
    seed,
    failures: false,
  });
  return performance.now() - start;
}

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

async function fakeTimersRun({ config, rate }: Input, runSeed: number): Promise<number> {
  const fake = FakeTimers.createClock(0, 100_000);
  const clock = fakeClock(fake);
  const rng = seedrandom.alea(String(runSeed));
  let fired = 0;
  const call = async () => {
    await clock.sleep(LATENCY_MS);
    fired++;
    if (rng() < rate) throw Object.assign(new Error('503 Service Unavailable'), { status: 503 });
    return 'ok';
  };
  const breaker = circuitBreaker({ ...config, clock });
  const body = (async () => {
    for (let i = 0; i < CALLS; i++) {
      await breaker.execute(call).catch(ignore);
      await clock.sleep(PAUSE_MS);
      fired++;
    }
  })();
  await fake.runAllAsync();
  await body;
  return fired;
}

async function fakeTimersRound(seed: number): Promise<number> {
  const start = performance.now();
  await fc.assert(
    fc.asyncProperty(input, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (values, runSeed) => {
      await fakeTimersRun(values, runSeed);
    }),
    { numRuns: RUNS, seed },
  );
  return performance.now() - start;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) =>
  `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms over ${xs.length} rounds`;

export async function main(rounds = 5): Promise<void> {
  console.log(
    `property runs: ${RUNS} fc.assert runs × ${CALLS} sequential breaker calls, ${rounds} alternated rounds`,
  );
  const ours: number[] = [];
  const theirs: number[] = [];
  const checked: number[] = [];
  await faultlineRound(1); // warm-up
  await fakeTimersRound(1);
  await checkResilienceRound(1);
  for (let r = 0; r < rounds; r++) {
    const seed = 100 + r;
    const order =
      r % 2 === 0
        ? [faultlineRound, fakeTimersRound, checkResilienceRound]
        : [checkResilienceRound, fakeTimersRound, faultlineRound];
    for (const round of order) {
      const ms = await round(seed);
      (round === faultlineRound ? ours : round === fakeTimersRound ? theirs : checked).push(ms);
    }
  }
  const stepsPerRun = steps / RUNS;
  const line = (label: string, xs: number[]) => {
    const ms = median(xs);
    const runsPerS = RUNS / (ms / 1000);
    const usPerStep = (ms * 1000) / (RUNS * stepsPerRun);
    return `  ${label.padEnd(28)} ${runsPerS.toFixed(0).padStart(6)} runs/s, ${usPerStep.toFixed(2)} µs/step (median ${ms.toFixed(0)} ms; ${spread(xs)})`;
  };
  console.log(`  ${stepsPerRun.toFixed(0)} timer steps per run (faultline's count)`);
  console.log(line('faultline simulate:', ours));
  console.log(line('checkResilience + breaker():', checked));
  console.log(line('fake-timers runAllAsync:', theirs));
  const ratios = (xs: number[]) => {
    const rs = xs.map((x, i) => theirs[i]! / x);
    return `${median(rs).toFixed(2)}× (per round ${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}×)`;
  };
  console.log(`  ratio simulate / fake-timers:        ${ratios(ours)}`);
  console.log(`  ratio checkResilience / fake-timers: ${ratios(checked)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(Number(process.argv[2] ?? 5));

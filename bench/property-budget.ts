/*
 * Where a property run's time goes, and how fast any kernel could make it (issue 9's
 * "≥ 3× fake-timers" target). Same runs as bench/property-runs.ts (1,000 `fc.assert` runs,
 * each 200 sequential breaker → service calls, ≈ 400 timer steps), split into parts that
 * are measured separately, alternated in one process, CPU time (the machine is shared):
 *
 * - fast-check alone: the same property with an empty body (generation, shrink bookkeeping);
 * - `simulate`, empty body: fast-check + a run's setup and teardown;
 * - `simulate`, bare chain: + the run's 400 sleeps, no service, breaker or trace;
 * - `simulate`: the real scenario;
 * - fake-timers, bare chain / same primitives: the anchor, with and without the work;
 * - fake-timers, same primitives + promise hook: the anchor with an async hook's `init`
 *   enabled during each run. Before Node 26 such a hook also tracks every promise (V8 calls
 *   into it for each promise and each await), and faultline's quiescence hook, which is how a
 *   run finds real I/O (fake-timers cannot), is one; on Node ≥ 26 it opts out
 *   (`trackPromises: false`);
 * - immediates: 400 no-op `setImmediate` callbacks queued at once, the cheapest way for a
 *   scheduler to let the microtasks of a sequential chain settle between two steps.
 *
 * From these it prints the budget: a run at 3× the anchor may cost a third of the anchor's
 * run; the work both sides share (the anchor's run minus its bare chain) and fast-check's own
 * cost come out of that first; what is left is what the kernel (setup, teardown and 400
 * steps) may spend, against the floor of 400 immediates.
 * Run: npx tsx bench/property-budget.ts [rounds]
 */
import { createHook, type HookCallbacks } from 'node:async_hooks';
import fc from 'fast-check';
import { simulate } from '../src/index.js';
import type { Sim } from '../src/simulators/sim.js';
import type { Clock } from '../src/time/clock.js';
import {
  CALLS,
  fakeRound,
  type Input,
  input,
  LATENCY_MS,
  median,
  onFakeClock,
  PAUSE_MS,
  RUNS,
  runSeed,
  samePrimitives,
  simulateRound,
  timed,
} from './property-runs.js';

const STEPS = 2 * CALLS;

/** The run's timer chain alone: a latency sleep and a pause per call. */
async function bareChain(clock: Pick<Clock, 'sleep'>): Promise<void> {
  for (let i = 0; i < CALLS; i++) {
    await clock.sleep(LATENCY_MS);
    await clock.sleep(PAUSE_MS);
  }
}

const property = (body: (values: Input, s: number) => Promise<void>) => (seed: number) =>
  timed(() => fc.assert(fc.asyncProperty(input, runSeed, body), { numRuns: RUNS, seed }));

const simulated = (body: (sim: Sim) => Promise<void>) =>
  property(async (_values, s) => {
    const result = await simulate({ seed: s }, body);
    if (result.error !== undefined) throw result.error;
  });

const hook = createHook({ init() {} });
/** True where `createHook` has no `trackPromises` option (Node < 26): an init hook then tracks every promise. */
const promiseTrackingForced = !Object.getOwnPropertySymbols(
  createHook(<HookCallbacks>{ init() {}, trackPromises: false }),
).some((s) => s.description === 'kNoPromiseHook');
const withPromiseHook = async (values: Input, s: number) => {
  hook.enable();
  try {
    await samePrimitives(values, s);
  } finally {
    hook.disable();
  }
};

const immediates = () =>
  new Promise<void>((resolve) => {
    for (let i = 1; i < STEPS; i++) setImmediate(() => {});
    setImmediate(resolve);
  });

export async function main(rounds = 5): Promise<void> {
  console.log(
    `property budget: ${RUNS} fc.assert runs × ${STEPS} steps, ${rounds} alternated rounds, CPU µs per run`,
  );
  const parts: [string, (seed: number) => Promise<[number, number]>][] = [
    ['fast-check alone', property(async () => {})],
    ['simulate, empty body', simulated(async () => {})],
    ['simulate, bare chain', simulated((sim) => bareChain(sim))],
    ['simulate', simulateRound],
    ['fake-timers, bare chain', fakeRound(() => onFakeClock(bareChain))],
    ['fake-timers, same primitives', fakeRound(samePrimitives)],
    ['  + promise hook', fakeRound(withPromiseHook)],
    [`${STEPS} immediates`, property(immediates)],
  ];
  const cpu = parts.map(() => [] as number[]);
  for (const [, round] of parts) await round(1); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = parts.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) cpu[i]!.push((await parts[i]![1](100 + r))[1]);
  }
  const us = cpu.map((xs) => (median(xs) * 1000) / RUNS);
  for (const [i, [name]] of parts.entries()) {
    console.log(`  ${`${name}:`.padEnd(32)} ${us[i]!.toFixed(0).padStart(5)} µs`);
  }
  const [fcOnly, empty, bare, sim, fakeBare, fakeSame, fakeHook, floor] = us as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const shared = fakeSame - fakeBare;
  const sharedHooked = fakeHook - fakeBare;
  const target = fakeSame / 3;
  const f = (x: number) => `${x.toFixed(0)} µs`;
  const hookNote = promiseTrackingForced
    ? 'this Node cannot opt a hook out of tracking promises, so faultline pays the promise hook'
    : "this Node lets faultline's hook skip promises (trackPromises: false), so it does not pay the promise hook";
  const sharedOurs = promiseTrackingForced ? sharedHooked : shared;
  console.log(
    `  faultline now: ${(fakeSame / sim).toFixed(2)}× the anchor (${f(sim)} a run) on Node ${process.versions.node}; ${hookNote}`,
  );
  console.log(
    `  faultline's kernel: setup + teardown ${f(empty - fcOnly)}, ${STEPS} steps ${f(bare - empty)} (${((bare - empty) / STEPS).toFixed(2)} µs each); fake-timers' ${STEPS} steps ${f(fakeBare - fcOnly)}`,
  );
  console.log(
    `  shared work: ${f(shared)} under fake-timers, ${f(sharedHooked)} with a promise-tracking hook on; under faultline ${f(sim - bare)}`,
  );
  console.log(
    `  3× budget: ${f(target)} a run − fast-check ${f(fcOnly)} − shared work ${f(sharedOurs)} = ${f(target - fcOnly - sharedOurs)} for faultline's setup and ${STEPS} steps, against ${f(floor - fcOnly)} for ${STEPS} no-op immediates alone`,
  );
  console.log(
    `  ceiling with a zero-cost kernel: ${(fakeSame / (fcOnly + sharedOurs)).toFixed(2)}×; with ${STEPS} no-op immediates as the whole kernel: ${(fakeSame / (floor + sharedOurs)).toFixed(2)}×`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main(Number(process.argv[2] ?? 5));

import { ConfigError } from '../../errors/config-error.js';
import { SimulationError } from '../../errors/simulation-error.js';
import { UnobservedFailureError } from '../../errors/unobserved-failure-error.js';
import { type Seed, seededRandom } from '../../random/random.js';
import { Trace } from '../../trace/trace.js';
import { createHttpBridge } from '../http/bridge.js';
import { listeningMswHandlers } from '../http/msw-handlers.js';
import { causedByUnmatched, prependToMessage, unmatchedSummary } from '../http/unmatched-summary.js';
import { Sim } from '../sim.js';
import {
  abortedError,
  deadlockError,
  divergence,
  idleIntervalsError,
  limitError,
  openHandlesError,
  outcomeFingerprint,
  valueDivergence,
} from './diagnostics.js';
import { installGlobals } from './global-patch.js';
import { Kernel, type KernelOutcome } from './kernel.js';
import { Quiescence } from './quiescence.js';
import { realPerformanceNow } from './real-globals.js';
import { attachRerun } from './rerun.js';
import { nextRunNumber } from './run-number.js';
import { canonicalSeed, rerunCommand, seedForRun } from './seed.js';
import { type ResolvedOptions, resolveOptions, type SimulateOptions } from './simulate-options.js';
import type { SimulationResult } from './simulation-result.js';
import { captureStrayErrors } from './stray-errors.js';
import { type RunRecord, withUnwrap } from './unwrap.js';
import { VirtualClock, type VirtualTimer } from './virtual-clock.js';
import { type CallingTest, callingTest } from './vitest-test.js';

const ACTIVE = Symbol.for('faultline.simulate.active');
/** Under vitest, the default `wallTimeout` is this share of the calling test's timeout (when below 60 s). */
const TEST_TIMEOUT_SHARE = 0.8;

/**
 * Runs `body` on a deterministic virtual clock and resolves to what happened.
 *
 * Inside the body, `setTimeout`/`setInterval`/`setImmediate`, `Date`,
 * `performance.now`, `AbortSignal.timeout` and `Math.random` are virtual and
 * seeded; they are restored when `simulate` returns or throws. Time advances
 * only when the system is quiet. A failing body does not reject (see
 * `result.error`); kernel failures (deadlock, non-determinism, limits, nested
 * runs, bad options) reject, with the seed and a rerun command in the message.
 *
 * @example
 * ```ts
 * const result = await simulate({ seed: 42 }, async (sim) => {
 *   await sim.sleep('30s');
 *   return Date.now();
 * });
 * result.value; // 1735689630000 — 2025-01-01T00:00:30Z, on every run
 * ```
 */
export function simulate<T>(
  options: SimulateOptions,
  body: (sim: Sim) => Promise<T> | T,
): Promise<SimulationResult<T>>;
export function simulate<T>(body: (sim: Sim) => Promise<T> | T): Promise<SimulationResult<T>>;
export async function simulate<T>(
  optionsOrBody: SimulateOptions | ((sim: Sim) => Promise<T> | T),
  maybeBody?: (sim: Sim) => Promise<T> | T,
): Promise<SimulationResult<T>> {
  const options = typeof optionsOrBody === 'function' ? {} : optionsOrBody;
  const body = typeof optionsOrBody === 'function' ? optionsOrBody : maybeBody;
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, simulate);
  const test = callingTest(site);
  const { seed, replayRun } = seedForRun(options?.seed, nextRunNumber(test));
  return start(options, body, test, seed, rerunCommand(seed, test, replayRun));
}

/**
 * @internal A run whose seed is exactly `options.seed`: `FAULTLINE_SEED` and
 * `FAULTLINE_RUN` do not apply and the run is not numbered among its test's
 * runs. For `checkResilience`, which takes the variable as the property's seed
 * and draws each run's seed from it; `rerun` is the property's replay command.
 */
export async function simulateWithSeed<T>(
  options: SimulateOptions & { seed: Seed },
  body: (sim: Sim) => Promise<T> | T,
  rerun: string,
): Promise<SimulationResult<T>> {
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, simulateWithSeed);
  return start(options, body, callingTest(site), canonicalSeed(options.seed), rerun);
}

async function start<T>(
  options: SimulateOptions,
  body: ((sim: Sim) => Promise<T> | T) | undefined,
  test: CallingTest | undefined,
  seed: Seed,
  rerun: string,
): Promise<SimulationResult<T>> {
  const resolved = resolveOptions(options, seed);
  if (typeof body !== 'function')
    throw new ConfigError('simulate(options, body)', body, 'an async function (sim) => …');
  if (test && test.timeoutMs > 0 && !resolved.wallTimeoutSet) {
    resolved.wallTimeoutMs = Math.min(
      resolved.wallTimeoutMs,
      Math.floor(test.timeoutMs * TEST_TIMEOUT_SHARE),
    );
  }
  const first = attachRerun(withUnwrap(await runOnce(resolved, body, test, rerun)), async () =>
    withUnwrap(await runOnce(resolved, body, test, rerun)),
  );
  if (!resolved.checkDeterminism) return first;
  const second = await runOnce(resolved, body, test, rerun);
  if (first.trace.hash !== second.trace.hash)
    throw divergence(resolved, first.trace, second.trace, first.rerun);
  const a = outcomeFingerprint(first);
  const b = outcomeFingerprint(second);
  if (a !== b) throw valueDivergence(resolved, a, b, first.trace.length, first.rerun);
  return first;
}

async function runOnce<T>(
  options: ResolvedOptions,
  body: (sim: Sim) => Promise<T> | T,
  test: CallingTest | undefined,
  rerun: string,
): Promise<RunRecord<T>> {
  const g = globalThis as Record<symbol, unknown>;
  if (g[ACTIVE]) {
    throw new SimulationError(
      'NESTED',
      `simulate() is already running (${String(g[ACTIVE])}); nested or concurrent simulations in one process would corrupt each other's clocks (they share the process's timers, Date and fetch). Await the first run before starting another; under vitest, do not run simulations in test.concurrent or describe.concurrent (use separate test files, which run in separate workers). Seed ${options.seed}; rerun: ${rerun}`,
      options.seed,
    );
  }
  g[ACTIVE] = `seed ${options.seed}`;
  const wallStart = realPerformanceNow();
  const clock = new VirtualClock();
  const trace = new Trace(() => clock.time);
  const root = seededRandom(options.seed);
  if (options.ties === 'random') {
    const ties = root.fork('ties');
    clock.tieBreak = () => ties.next();
  }
  const sim = new Sim(
    options.seed,
    options.name,
    root,
    clock,
    trace,
    createHttpBridge({ trace, clock, msw: listeningMswHandlers() }),
    options.epochMs,
  );
  sim.swarm = options.swarm;
  let patch: ReturnType<typeof installGlobals> | undefined;
  let releaseStrayErrors: (() => void) | undefined;
  let unbind: (() => void) | undefined;
  const quiescence = new Quiescence();
  let tornDown = false;
  // Once only, from whichever comes first: the run's end or its cancellation
  // (a later second restore could undo the next run's patch).
  const teardown = () => {
    if (tornDown) return;
    tornDown = true;
    unbind?.();
    quiescence.stop();
    releaseStrayErrors?.();
    patch?.restore();
    g[ACTIVE] = undefined;
    sim.end();
  };
  let bodySettled = false;
  let value: T | undefined;
  let error: unknown;
  let failed = false;
  let outcome: KernelOutcome;
  try {
    patch = installGlobals(clock, root.fork('Math.random'), options.epochMs, {
      fetch: sim.bridge.fetch,
      routes: () => sim.bridge.routes,
    });
    trace.emit('sim.start', undefined, { seed: options.seed, name: options.name, until: options.until });
    if (options.traceTimers) traceTimerFiring(clock, trace);
    const settle = (ok: boolean, v: unknown) => {
      bodySettled = true;
      if (ok) value = v as T;
      else {
        failed = true;
        error = v;
      }
    };
    const progress = options.progress;
    const kernel = new Kernel(
      clock,
      patch,
      {
        ...options,
        progress: progress
          ? ({ steps, wallMs }) =>
              progress({ seed: options.seed, virtualTimeMs: clock.time, steps, events: trace.length, wallMs })
          : undefined,
      },
      () => bodySettled && sim.pendingTasks === 0,
      () => clock.created + trace.length + sim.pendingTasks + (bodySettled ? 1 : 0),
      quiescence,
    );
    releaseStrayErrors = captureStrayErrors((stray, promise) => {
      const task = sim.taskRegistry.unobserved(promise);
      const error = task ? new UnobservedFailureError(task.name, stray, options.seed) : stray;
      kernel.stop({ kind: 'uncaught', error });
    });
    const cancel = (reason: string) => {
      kernel.stop({ kind: 'aborted', reason });
      teardown();
    };
    unbind = bindCancellation(options.signal, test, cancel);
    if (!tornDown) {
      quiescence.start();
      try {
        Promise.resolve(body(sim)).then(
          (v) => settle(true, v),
          (e) => settle(false, e),
        );
      } catch (e) {
        settle(false, e);
      }
    }
    outcome = await kernel.run();
    const pendingTimers = clock.heap
      .values()
      .slice()
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map((t) => ({ id: t.id, kind: t.kind, at: t.at, delay: t.delay, ref: t.hasRef() }));
    if (outcome.kind === 'uncaught' && !failed) {
      failed = true;
      error = outcome.error;
    }
    const unmatched = sim.bridge.unmatched;
    const unmatchedLine = unmatchedSummary(unmatched, sim.bridge.routes);
    if (failed && unmatchedLine && causedByUnmatched(error)) prependToMessage(error, unmatchedLine);
    const runOutcome = failed ? 'failed' : bodySettled ? 'ok' : 'stopped';
    trace.emit('sim.end', undefined, {
      outcome: runOutcome,
      steps: kernel.steps,
      pendingTimers: pendingTimers.length,
      pendingTasks: sim.pendingTasks,
      error: failed ? error : undefined,
    });
    if (outcome.kind === 'deadlock') {
      const http = sim.bridge.inFlight;
      const waiting =
        http > 0 ? [`${http} HTTP request(s) through sim.http still waiting for a response`] : [];
      throw deadlockError(
        options,
        sim,
        bodySettled,
        clock,
        [...outcome.inFlight, ...waiting],
        rerun,
        unmatchedLine,
      );
    }
    if (outcome.kind === 'aborted') throw abortedError(options, clock, outcome.reason, rerun);
    if (outcome.kind === 'open-handles') throw openHandlesError(options, sim, clock, outcome.handles, rerun);
    if (outcome.kind === 'limit') throw limitError(options, clock, outcome, rerun, unmatchedLine);
    if (outcome.kind === 'idle-intervals') {
      throw idleIntervalsError(options, sim, bodySettled, clock, outcome.firings, rerun);
    }
    return {
      seed: options.seed,
      name: options.name,
      outcome: runOutcome,
      value,
      error,
      trace,
      stats: {
        virtualTimeMs: clock.time,
        steps: kernel.steps,
        events: trace.length,
        tasks: { spawned: sim.tasks.length, failed: sim.tasks.filter((t) => t.error !== undefined).length },
        requests: { ...sim.ledger.counts, pending: sim.ledger.pending },
        wallTimeMs: realPerformanceNow() - wallStart,
      },
      pendingTimers,
      pendingTasks: sim.tasks.filter((t) => !t.settled).map((t) => t.name),
      openHandles: quiescence.openPassive(),
      taskErrors: sim.tasks
        .filter((t) => t.settled && 'error' in t)
        .map((t) => ({ task: t.name, error: t.error })),
      unmatched,
      rerun,
    };
  } finally {
    teardown();
  }
}

/** Cancels the run when `signal` aborts or the calling test ends; returns the unsubscribe. */
function bindCancellation(
  signal: AbortSignal | undefined,
  test: CallingTest | undefined,
  cancel: (reason: string) => void,
): () => void {
  const fromTest = test?.bind(cancel);
  const onAbort = () => cancel(`its signal was aborted (${String(abortMessage(signal?.reason))})`);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    fromTest?.();
    signal?.removeEventListener('abort', onAbort);
  };
}

function abortMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

function traceTimerFiring(clock: VirtualClock, trace: Trace): void {
  const take = clock.takeNext.bind(clock);
  clock.takeNext = (): VirtualTimer | undefined => {
    const timer = take();
    if (timer) trace.emit('timer.fire', undefined, { id: timer.id, kind: timer.kind, delay: timer.delay });
    return timer;
  };
}

export type { Seed };

/*
 * `checkResilience`: a fast-check property over simulations. Each run draws one
 * value per arbitrary plus a simulation seed (drawn from the property's seed, so
 * any run replays on its own), runs the scenario in one `simulate`, and checks
 * the invariants over its trace. A violation, a scenario that throws and a
 * kernel failure (deadlock, limits) all fail the run. Failures are shrunk, saved
 * in the graveyard (`failure-store.ts`) and replayed first next time.
 */
import fc from 'fast-check';
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, functionOption, integerAtLeast } from '../options/validate.js';
import type { Seed } from '../random/random.js';
import { nextRunNumber } from '../simulators/kernel/run-number.js';
import { rerunCommand, seedForRun } from '../simulators/kernel/seed.js';
import { simulateWithSeed } from '../simulators/kernel/simulate.js';
import type { SimulateOptions } from '../simulators/kernel/simulate-options.js';
import { callingTest } from '../simulators/kernel/vitest-test.js';
import type { Sim } from '../simulators/sim.js';
import type { Trace } from '../trace/trace.js';
import { type CheckProgress, ProgressTracker } from './check-progress.js';
import { FAILURES_DIR, forgetFailure, savedFailures, writePropertyFailure } from './failure-store.js';
import type { Invariant, Violation } from './invariant.js';
import { invariants as catalog } from './invariants/index.js';
import { describeViolation, inputsLiteral, type RunFailure, traceExcerpt } from './report.js';

/** The values a record of arbitraries generates. */
export type ValuesOf<A extends Record<string, fc.Arbitrary<unknown>>> = {
  [K in keyof A]: A[K] extends fc.Arbitrary<infer T> ? T : never;
};

export interface CheckResilienceOptions<A extends Record<string, fc.Arbitrary<unknown>>> {
  /** One fast-check arbitrary per input of the scenario. */
  arbitraries: A;
  /** The system under test, run once per generated input inside `simulate`. */
  scenario: (sim: Sim, values: ValuesOf<A>) => unknown;
  /** What must hold over every run's trace. Default `invariants.all()`. */
  invariants?: readonly Invariant[];
  /** Runs (fast-check's `numRuns`). Default 100. */
  numRuns?: number;
  /**
   * fast-check's seed. `FAULTLINE_SEED`, when set, overrides it (with `FAULTLINE_RUN=<k>`, only
   * when this call is the k-th seeded call of its test); else a fixed one: the same runs every time.
   */
  seed?: Seed;
  /** fast-check's replay path (printed with a failure) to rerun one counterexample directly. */
  path?: string;
  /** Options for every `simulate` (not `seed`: each run's comes from the property). E.g. `{ ties: 'random' }`. */
  simulate?: Omit<SimulateOptions, 'seed' | 'checkDeterminism'>;
  /** Names the property in the graveyard. Default: the vitest test's name, else the arbitraries' keys. */
  name?: string;
  /** The graveyard directory, or `false` to neither save nor replay failures. Default `.faultline/failures`. */
  failures?: string | false;
  /**
   * Progress of a long check. `true` (default): once the check has taken 3 s, a line on
   * stderr every 3 s (runs done, runs/s, ETA; then the shrinking), and a closing line; a
   * quicker check prints nothing. `false`: silent. A function: called after every run
   * and shrink candidate with a `CheckProgress`.
   */
  progress?: boolean | ((progress: CheckProgress) => void);
}

/** What a passing check reports. */
export interface CheckResilienceReport {
  readonly numRuns: number;
  /** Saved failures replayed first (and deleted, since they passed). */
  readonly replayed: number;
}

/** The error a failing `checkResilience` rejects with; its message is the full report. */
export class ResilienceCheckError extends Error {
  override readonly name = 'ResilienceCheckError';
  constructor(
    message: string,
    /** The violations of the shrunk run (a `scenario` pseudo-violation when it threw). */
    readonly violations: readonly Violation[],
    /** The shrunk inputs. */
    readonly counterexample: Readonly<Record<string, unknown>>,
    /** The simulation seed of the shrunk run. */
    readonly simulationSeed: number,
    /** fast-check's seed and path (`undefined` for a saved failure replayed). */
    readonly fastCheck: { readonly seed: number; readonly path?: string },
    /** Runs until the first failure, and shrink steps after it. */
    readonly runs: { readonly untilFailure: number; readonly shrinks: number },
    /** The shrunk run's trace, when the kernel finished it. */
    readonly trace: Trace | undefined,
    /** Where the failure was saved. */
    readonly file: string | undefined,
  ) {
    super(message);
  }
}

const KEYS = [
  'arbitraries',
  'scenario',
  'invariants',
  'numRuns',
  'seed',
  'path',
  'simulate',
  'name',
  'failures',
  'progress',
];
const SEED_MAX = 2 ** 31 - 1;

/** A string seed (FAULTLINE_SEED=abc) as fast-check's integer seed. */
function integerSeed(seed: Seed): number {
  if (typeof seed === 'number') return Math.trunc(seed) | 0;
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return h | 0;
}

/**
 * Checks that the invariants hold for every generated input and fault schedule.
 * Resolves when every run holds; rejects with a `ResilienceCheckError` whose
 * message gives the violated invariant, the shrunk inputs, the seeds, a rerun
 * command and a trace excerpt.
 *
 * @example
 * ```ts
 * await checkResilience({
 *   arbitraries: { config: arb.breakerConfig(), faults: arb.faultPlan({ horizon: '1m' }) },
 *   scenario: async (sim, { config, faults }) => {
 *     const llm = sim.service('llm', { latency: '200ms', faults, handle: () => 'ok' });
 *     const breaker = sim.breaker('llm', config);
 *     for (let i = 0; i < 50; i++) { await breaker.execute(() => llm.call(i)).catch(() => {}); await sim.sleep('1s'); }
 *   },
 *   invariants: [invariants.breaker()],
 * });
 * ```
 */
export async function checkResilience<A extends Record<string, fc.Arbitrary<unknown>>>(
  options: CheckResilienceOptions<A>,
): Promise<CheckResilienceReport> {
  const site = new Error();
  // One seeded call of its test, like a `simulate`; the runs inside it are not numbered.
  const test = callingTest(site);
  const run = nextRunNumber(test);
  const o = checkOptions('checkResilience', options, KEYS, true);
  const arbitraries = o.arbitraries;
  if (typeof arbitraries !== 'object' || arbitraries === null || Array.isArray(arbitraries)) {
    throw new ConfigError(
      'checkResilience({ arbitraries })',
      arbitraries,
      'a record of fast-check arbitraries',
    );
  }
  for (const [key, a] of Object.entries(arbitraries)) {
    if (!(a instanceof fc.Arbitrary)) {
      throw new ConfigError(
        `checkResilience({ arbitraries.${key} })`,
        a,
        'a fast-check arbitrary (arb.* or fc.*)',
      );
    }
  }
  const scenario = functionOption<CheckResilienceOptions<A>['scenario']>(
    'checkResilience({ scenario })',
    o.scenario,
  );
  if (scenario === undefined)
    throw new ConfigError('checkResilience({ scenario })', undefined, 'an async function (sim, values)');
  const checks = o.invariants ?? catalog.all();
  if (!Array.isArray(checks) || checks.some((i) => typeof i?.check !== 'function')) {
    throw new ConfigError(
      'checkResilience({ invariants })',
      checks,
      'a list of invariants (invariants.* or invariants.define)',
    );
  }
  const numRuns = integerAtLeast('checkResilience({ numRuns })', o.numRuns ?? 100, 1);
  const { seed: propertySeed, replayRun } = seedForRun(o.seed, run);
  const fcSeed = integerSeed(propertySeed);
  const rerun = (seed: number) => rerunCommand(seed, test, replayRun);
  const simOptions = o.simulate ?? {};
  if ('seed' in simOptions) {
    throw new ConfigError(
      'checkResilience({ simulate.seed })',
      (simOptions as { seed?: unknown }).seed,
      'no seed: each run draws its own',
    );
  }
  const keys = Object.keys(arbitraries).sort();
  const name = o.name ?? test?.names[0] ?? `property(${keys.join(', ')})`;
  const dir = o.failures === undefined ? FAILURES_DIR : o.failures;
  const progressOption = o.progress ?? true;
  if (typeof progressOption !== 'boolean' && typeof progressOption !== 'function') {
    throw new ConfigError(
      'checkResilience({ progress })',
      progressOption,
      'true, false or a function (progress) => void',
    );
  }
  const onProgress = progressOption === true ? 'print' : progressOption || undefined;

  const runOnce = async (values: ValuesOf<A>, seed: number): Promise<RunFailure | undefined> => {
    let trace: Trace | undefined;
    try {
      // Exactly the drawn seed: FAULTLINE_SEED is the property's seed, not every run's.
      const result = await simulateWithSeed(
        { ...simOptions, seed },
        (sim) => scenario(sim, values),
        rerun(fcSeed),
      );
      trace = result.trace;
      if (result.error !== undefined) {
        return {
          trace,
          violations: [{ invariant: 'scenario', message: `the scenario threw: ${errorText(result.error)}` }],
        };
      }
      const violations = checks.flatMap((i) => i.check(result.trace));
      return violations.length > 0 ? { trace, violations } : undefined;
    } catch (error) {
      return { trace, violations: [{ invariant: 'kernel', message: errorText(error) }] };
    }
  };

  // The graveyard first: each saved failure of this property runs once; those that pass are forgotten.
  let replayed = 0;
  if (dir !== false) {
    for (const { path, failure } of savedFailures(name, dir)) {
      if (failure.keys.join() !== keys.join()) continue;
      replayed++;
      const values = failure.inputs as ValuesOf<A>;
      const found = await runOnce(values, failure.seed);
      if (found === undefined) {
        forgetFailure(path);
        continue;
      }
      throw report(
        found,
        values,
        failure.seed,
        failure.fastCheck,
        { untilFailure: 0, shrinks: 0 },
        path,
        true,
      );
    }
  }

  const input = fc.tuple(
    fc.record(arbitraries) as fc.Arbitrary<ValuesOf<A>>,
    fc.noShrink(fc.integer({ min: 0, max: SEED_MAX })),
  );
  const progress = new ProgressTracker(name, numRuns, onProgress);
  const property = fc.asyncProperty(input, async ([values, seed]) => {
    const found = await runOnce(values, seed);
    progress.ran(found !== undefined);
    if (found !== undefined) throw new Error(found.violations.map((v) => v.message).join('; '));
  });
  const details = await fc.check(property, { numRuns, seed: fcSeed, path: o.path, endOnFailure: false });
  progress.end();
  if (progress.callbackError !== undefined) throw progress.callbackError;
  if (!details.failed) return { numRuns: details.numRuns, replayed };
  if (details.counterexample === null) {
    throw new Error(
      `checkResilience: fast-check failed without a counterexample: ${String(details.errorInstance)}`,
    );
  }
  const [values, seed] = details.counterexample[0];
  const found = (await runOnce(values, seed)) ?? {
    trace: undefined,
    violations: [{ invariant: 'property', message: String(details.errorInstance) }],
  };
  const fastCheck = { seed: details.seed, path: details.counterexamplePath ?? undefined };
  const runs = { untilFailure: details.numRuns, shrinks: details.numShrinks };
  let file: string | undefined;
  if (dir !== false) {
    const first = found.violations[0]!;
    file = writePropertyFailure(
      {
        name,
        ...(test ? { testFile: test.file } : {}),
        keys,
        inputs: JSON.parse(JSON.stringify(values)) as Record<string, unknown>,
        seed,
        fastCheck,
        invariant: first.invariant,
        error: first.message.split('\n')[0]!,
        ...(found.trace ? { traceHash: found.trace.hash, events: found.trace.length } : {}),
        replay: rerun(details.seed),
      },
      dir,
    );
  }
  throw report(found, values, seed, fastCheck, runs, file, false);

  function report(
    found: RunFailure,
    values: ValuesOf<A>,
    seed: number,
    fastCheck: { seed: number; path?: string },
    runs: { untilFailure: number; shrinks: number },
    file: string | undefined,
    fromGraveyard: boolean,
  ): ResilienceCheckError {
    const first = found.violations[0]!;
    const origin = fromGraveyard
      ? `a saved failure (${file}) still fails`
      : `failed after ${runs.untilFailure} run(s), shrunk ${runs.shrinks} time(s)`;
    const lines = [
      `checkResilience "${name}": ${origin}`,
      '',
      ...found.violations.slice(0, 3).map(describeViolation),
      ...(found.violations.length > 3 ? [`(and ${found.violations.length - 3} more violation(s))`] : []),
      '',
      'counterexample (paste into a test):',
      `  ${inputsLiteral(values)}`,
      `simulation seed: ${seed}`,
      `fast-check: seed ${fastCheck.seed}${fastCheck.path ? `, path "${fastCheck.path}"` : ''} (checkResilience({ …, seed: ${fastCheck.seed}${fastCheck.path ? `, path: '${fastCheck.path}'` : ''} }) replays it)`,
      `rerun: ${rerun(fastCheck.seed)}${file ? `   (replays ${file} first)` : ''}`,
    ];
    if (found.trace)
      lines.push('', 'trace around the violation:', traceExcerpt(found.trace, first.event?.seq));
    return new ResilienceCheckError(
      lines.join('\n'),
      found.violations,
      values,
      seed,
      fastCheck,
      runs,
      found.trace,
      file,
    );
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

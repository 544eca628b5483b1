import { ConfigError } from '../../errors/config-error.js';
import type { Seed } from '../../random/random.js';
import type { Sim } from '../sim.js';
import { simulate, simulateWithSeed } from './simulate.js';
import { resolveOptions, type SimulateOptions } from './simulate-options.js';
import type { SimulationResult } from './simulation-result.js';

/*
 * A scenario: a named `simulate` body with its options, as a value. Scenario
 * files (`export default scenario(...)`) are what the `faultline` command runs,
 * explores and replays; a scenario runs with the `simulate` of the copy of
 * faultline that defined it, so the body and the kernel always agree.
 */

const BRAND = Symbol.for('faultline.scenario');
// Registered, like BRAND, so the command finds it on a scenario from another installed copy.
const RUN_WITH_SEED = Symbol.for('faultline.scenario.runWithSeed');

/** @internal How the `faultline` command runs a scenario (see `scenarioRunWithSeed`). */
export type RunWithSeed = (
  overrides: ScenarioOptions & { seed: Seed },
  rerun: string,
) => Promise<SimulationResult<unknown>>;

/** Options of a scenario: those of `simulate` (its `seed` is the default seed of `run`). */
export type ScenarioOptions = Omit<SimulateOptions, 'name'>;

export interface Scenario<T = unknown> {
  readonly name: string;
  readonly body: (sim: Sim) => Promise<T> | T;
  readonly options: Readonly<ScenarioOptions>;
  /** Runs the scenario once; `overrides` (e.g. `{ seed }`) win over the scenario's options. */
  run(overrides?: ScenarioOptions): Promise<SimulationResult<T>>;
}

/**
 * Declares a scenario: the same body `simulate` takes, a name, and options.
 * The default export of a scenario file, for `faultline run | explore | replay`.
 *
 * @example
 * ```ts
 * // scenarios/llm-outage.ts
 * export default scenario('llm outage', async (sim) => {
 *   const llm = sim.service('llm', { faults: [faults.outage({ at: '1m', for: '30s' })], handle: () => 'ok' });
 *   await sim.workload.poisson({ rate: '1/s', for: '5m' }, () => llm.call({}));
 * }, { until: '10m' });
 * // faultline explore scenarios/llm-outage.ts --runs 1000
 * ```
 */
export function scenario<T>(
  name: string,
  body: (sim: Sim) => Promise<T> | T,
  options: ScenarioOptions = {},
): Scenario<T> {
  if (typeof name !== 'string' || name.trim() === '')
    throw new ConfigError('scenario(name)', name, 'a non-empty string');
  if (typeof body !== 'function')
    throw new ConfigError(`scenario("${name}", body)`, body, 'an async function (sim) => …');
  if (typeof options !== 'object' || options === null || 'name' in options) {
    throw new ConfigError(
      `scenario("${name}", body, options)`,
      options,
      'simulate options without name (the scenario names the run)',
    );
  }
  resolveOptions({ ...options, name }, options.seed ?? 1);
  const frozen = Object.freeze({ ...options });
  const value: Scenario<T> = {
    [BRAND]: true,
    name,
    body,
    options: frozen,
    run(overrides: ScenarioOptions = {}): Promise<SimulationResult<T>> {
      return simulate({ ...frozen, ...overrides, name }, body);
    },
  } as Scenario<T>;
  const runWithSeed: RunWithSeed = (overrides, rerun) =>
    simulateWithSeed({ ...frozen, ...overrides, name }, body, rerun);
  // Not enumerable: a scenario prints and compares as before.
  Object.defineProperty(value, RUN_WITH_SEED, { value: runWithSeed });
  return Object.freeze(value);
}

/**
 * @internal The way the `faultline` command runs a scenario: at exactly
 * `overrides.seed` (`FAULTLINE_SEED` and `FAULTLINE_RUN` do not apply, so
 * the seed it prints is the seed that ran), with `rerun` (its own replay
 * command) in kernel errors. `undefined` for a scenario made by a copy of
 * faultline older than this one.
 */
export function scenarioRunWithSeed(value: Scenario): RunWithSeed | undefined {
  const run = (value as unknown as Record<symbol, unknown>)[RUN_WITH_SEED];
  return typeof run === 'function' ? (run as RunWithSeed) : undefined;
}

/** True for values made by `scenario()` (from any installed copy of faultline). */
export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/*
 * `simTest`: a vitest test whose body runs inside `simulate`. A body that throws
 * (an assertion included) fails the test with the seed and the rerun command
 * appended to its message, and so does a body `until` stopped before it
 * returned (the assertions after that point never ran); kernel failures
 * (deadlock, limits, non-determinism) already carry both.
 */
import { test } from 'vitest';
import { resolveSeed } from '../simulators/kernel/seed.js';
import { simulate } from '../simulators/kernel/simulate.js';
import { resolveOptions, type SimulateOptions } from '../simulators/kernel/simulate-options.js';
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import type { Sim } from '../simulators/sim.js';
import { duration, formatDuration } from '../time/duration.js';
import { seedLine } from './report.js';
import { describeError } from './run-outcome.js';

export interface SimTest {
  /**
   * A test whose body runs inside `simulate(options, body)`: seed from
   * `FAULTLINE_SEED` when set (it overrides `options.seed`), else `options.seed`,
   * else the fixed default.
   */
  (name: string, body: (sim: Sim) => unknown, options?: SimulateOptions): void;
  /**
   * One test per row, as vitest's `test.each` (name formatting `%s`, `%i`, `$key` included):
   * array rows are spread after `sim`…
   */
  each<T extends any[] | [any]>(
    cases: readonly T[],
  ): (name: string, body: (sim: Sim, ...args: T) => unknown, options?: SimulateOptions) => void;
  /** …any other row is passed whole. */
  each<T>(
    cases: readonly T[],
  ): (name: string, body: (sim: Sim, row: T) => unknown, options?: SimulateOptions) => void;
}

/** Real-time margin past the simulation's own wall-time watchdog, so its error (with the seed) comes first. */
const TIMEOUT_MARGIN_MS = 5_000;
const DEFAULT_WALL_TIMEOUT_MS = 60_000;

/**
 * A vitest test that is a simulation. It fails when the body throws (an `expect`
 * included) or when `until` stops the body before it returns.
 *
 * @example
 * ```ts
 * simTest('the breaker trips during the outage', async (sim) => {
 *   const llm = sim.service('llm', { faults: [faults.outage({ at: 0, for: '1m' })] });
 *   const breaker = sim.breaker('llm', { failureThreshold: 3 });
 *   for (let i = 0; i < 5; i++) await breaker.execute(() => llm.call({})).catch(() => {});
 *   expect(breaker.state).toBe('open');
 * }, { seed: 7 });
 * ```
 */
export const simTest: SimTest = Object.assign(
  (name: string, body: (sim: Sim) => unknown, options?: SimulateOptions): void => {
    checkOptions(options);
    test(name, () => runSimulation(options, body), timeoutOf(options));
  },
  {
    each(cases: readonly unknown[]) {
      return (name: string, body: (sim: Sim, ...args: any[]) => unknown, options?: SimulateOptions) => {
        checkOptions(options);
        test.each(cases as unknown[])(
          name,
          (...args: unknown[]) => runSimulation(options, (sim) => body(sim, ...args)),
          timeoutOf(options),
        );
      };
    },
  } as Pick<SimTest, 'each'>,
);

async function runSimulation(
  options: SimulateOptions | undefined,
  body: (sim: Sim) => unknown,
): Promise<void> {
  const result = await simulate(options ?? {}, body);
  if (result.outcome === 'failed') throw withSeed(result.error, result);
  if (result.outcome === 'stopped') throw new Error(`${stoppedMessage(result)}\n${seedLine(result)}`);
}

/** A body `until` stopped never ran its end: its assertions there would pass unseen. */
function stoppedMessage(result: SimulationResult): string {
  const at = formatDuration(result.stats.virtualTimeMs);
  return (
    `the run reached \`until\` (+${at}) before the body returned: the rest of the body, ` +
    'its assertions included, never ran (raise `until`, or let the body return before it)'
  );
}

/** The body's error with `seed <n> — rerun: <command>` as the last line of its message. */
function withSeed(error: unknown, result: SimulationResult): Error {
  const line = seedLine(result);
  if (error instanceof Error) {
    if (error.message.includes(line)) return error;
    const before = error.message;
    // Read first: V8 formats `stack` lazily, from the message as it is at the first read.
    const stack = error.stack;
    try {
      error.message = `${before}\n${line}`;
      if (typeof stack === 'string' && stack.includes(before))
        error.stack = stack.replace(before, error.message);
      return error;
    } catch {
      // A frozen error: wrap it instead.
    }
  }
  return new Error(`the simulation body threw ${describeError(error)}\n${line}`, { cause: error });
}

/** Bad options fail when the test is defined (a misspelt key must not wait for the run). */
function checkOptions(options: SimulateOptions | undefined): void {
  resolveOptions(options ?? {}, resolveSeed(options?.seed));
}

function timeoutOf(options: SimulateOptions | undefined): number {
  try {
    const wall =
      options?.wallTimeout === undefined
        ? DEFAULT_WALL_TIMEOUT_MS
        : duration(options.wallTimeout, 'wallTimeout');
    return wall + TIMEOUT_MARGIN_MS;
  } catch {
    return DEFAULT_WALL_TIMEOUT_MS + TIMEOUT_MARGIN_MS; // simulate reports the bad option itself
  }
}

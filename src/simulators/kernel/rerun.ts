import type { SimulationResult } from './simulation-result.js';

/*
 * Every result of `simulate` carries a hidden way to replay its run: the same
 * resolved options (seed included) and the same body, run once more. It is a
 * non-enumerable property under a registered symbol, so results print, compare
 * (`toEqual`) and serialize exactly as before, and two installed copies of
 * faultline find it. `toBeDeterministic()` uses it.
 */

const RERUN = Symbol.for('faultline.rerun');

/** Replays a run with the same seed and body; resolves to the new result. */
export type Rerun<T = unknown> = () => Promise<SimulationResult<T>>;

/** Attaches the replay hook to `result` (the kernel calls this once per result). */
export function attachRerun<T>(result: SimulationResult<T>, rerun: Rerun<T>): SimulationResult<T> {
  Object.defineProperty(result, RERUN, { value: rerun, enumerable: false, configurable: true });
  return result;
}

/** The replay hook of a result, if it came from `simulate`. */
export function rerunOf<T>(result: SimulationResult<T>): Rerun<T> | undefined {
  const hook = (result as unknown as Record<symbol, unknown>)[RERUN];
  return typeof hook === 'function' ? (hook as Rerun<T>) : undefined;
}

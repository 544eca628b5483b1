import { RunFailedError } from '../../errors/run-failed-error.js';
import type { SimulationResult } from './simulation-result.js';

/** What one run produced, before `unwrap` is attached. */
export type RunRecord<T> = Omit<SimulationResult<T>, 'unwrap'>;

/** The first line a reader needs: `Name: message` of the body's error. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a non-Error value was thrown: ${typeof error === 'string' ? JSON.stringify(error) : String(error)}`;
}

/**
 * Attaches `unwrap()` to a run's result (not enumerable, so results still
 * compare and print as plain data).
 */
export function withUnwrap<T>(record: RunRecord<T>): SimulationResult<T> {
  const unwrap = (): T => {
    const { outcome, seed, rerun } = record;
    if (outcome === 'ok') return record.value as T;
    if (outcome === 'failed') {
      throw new RunFailedError(
        'failed',
        `the simulated run failed: ${describe(record.error)}\nSeed ${seed}; rerun: ${rerun}`,
        seed,
        rerun,
        record.error,
      );
    }
    throw new RunFailedError(
      'stopped',
      `the simulated run reached \`until\` before its body returned, so it has no value (see result.pendingTasks). Seed ${seed}; rerun: ${rerun}`,
      seed,
      rerun,
    );
  };
  return Object.defineProperty(record, 'unwrap', { value: unwrap, enumerable: false }) as SimulationResult<T>;
}

import { hasCode } from './faultline-error.js';
import { SimulationError } from './simulation-error.js';

/**
 * A task started with `sim.spawn` failed and nothing in the run awaited it or
 * handled its promise: the failure would otherwise go unnoticed, so it fails
 * the run. `task` names the task; `cause` is its error. Pass
 * `{ allowFailure: true }` to `sim.spawn` when a task's failure is expected.
 */
export class UnobservedFailureError extends SimulationError {
  readonly task: string;

  constructor(task: string, cause: unknown, seed: string | number) {
    super(
      'UNOBSERVED_FAILURE',
      `task '${task}' failed and nothing awaited it: ${describe(cause)}. Await (or .catch) the promise sim.spawn returns, ` +
        `or pass { allowFailure: true } to sim.spawn when the failure is expected (it stays in result.taskErrors).`,
      seed,
      { cause },
    );
    this.task = task;
  }

  static override is(value: unknown): value is UnobservedFailureError {
    return hasCode(value, 'UNOBSERVED_FAILURE');
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

import type { Seed } from '../../random/random.js';
import type { Trace } from '../../trace/trace.js';
import type { UnmatchedRequest } from '../http/bridge.js';

/** A timer still pending when the run ended: not run, reported as a leak signal. */
export interface PendingTimer {
  readonly id: number;
  readonly kind: string;
  /** Virtual time (ms) it was due at. */
  readonly at: number;
  readonly delay: number;
  /** False for `unref()`'d timers, which would not keep a Node process alive either. */
  readonly ref: boolean;
}

export interface SimulationStats {
  /** Virtual time at the end of the run (ms since start). */
  readonly virtualTimeMs: number;
  /** Timer steps the kernel took. */
  readonly steps: number;
  readonly events: number;
  readonly tasks: { readonly spawned: number; readonly failed: number };
  /** Workload requests: each ends exactly once as succeeded, failed or rejected; `pending` only when stopped by `until`. */
  readonly requests: {
    readonly started: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly rejected: number;
    readonly pending: number;
  };
  /** Real milliseconds the run took (not part of the trace; varies between runs). */
  readonly wallTimeMs: number;
}

/**
 * What `simulate` resolves to. A failing body does not reject: its error is in
 * `error` and `outcome` is `'failed'`.
 */
export interface SimulationResult<T = unknown> {
  readonly seed: Seed;
  readonly name: string | undefined;
  /** `'ok'`: the body returned; `'failed'`: it threw (see `error`); `'stopped'`: `until` came first. */
  readonly outcome: 'ok' | 'failed' | 'stopped';
  readonly value: T | undefined;
  readonly error: unknown;
  readonly trace: Trace;
  readonly stats: SimulationStats;
  readonly pendingTimers: readonly PendingTimer[];
  /** Names of spawned tasks still pending at the end (only with `until`). */
  readonly pendingTasks: readonly string[];
  /**
   * Real handles the run opened that wait for outside events (a listening
   * server, a file watcher) and were still open at the end, each with where it
   * was created. Virtual time does not wait for them; close them in the body.
   */
  readonly openHandles: readonly string[];
  /** Errors of spawned tasks, in the order they failed. */
  readonly taskErrors: readonly { readonly task: string; readonly error: unknown }[];
  /**
   * Requests no `sim.http` route (nor a listening msw handler) answered, each
   * method and URL once with how often (first 100). When the body failed because
   * of one (an `UnmatchedRequestError` in its error's `cause` chain), the error's
   * message starts with a line listing these next to the routed base URLs.
   */
  readonly unmatched: readonly UnmatchedRequest[];
  /**
   * The shell command that replays this run: `FAULTLINE_SEED=<seed> …` (the variable overrides
   * the `seed` option), with `FAULTLINE_RUN=<k>` when the run is the k-th (k ≥ 2) of its test, so
   * the test's other runs keep their own seeds.
   */
  readonly rerun: string;
  /**
   * The body's value; if the body failed, throws `RunFailedError` (message: the
   * body's error, the seed and `rerun`; `cause`: the error itself), so a failing
   * run cannot pass unnoticed. Also throws when `until` stopped the run first.
   *
   * @example
   * ```ts
   * const answer = (await simulate({ seed: 42 }, async (sim) => callAgent(sim))).unwrap();
   * ```
   */
  unwrap(): T;
}

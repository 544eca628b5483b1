import { ConfigError } from '../../errors/config-error.js';
import type { SwarmOptions } from '../../faults/swarm.js';
import { checkOptions, oneOf, optionKeys } from '../../options/validate.js';
import type { Seed } from '../../random/random.js';
import { type Duration, duration, formatDuration } from '../../time/duration.js';

/** Options of `simulate`. Unknown keys are rejected (a typo must not silently change a run). */
export interface SimulateOptions {
  /**
   * The run's seed (`'42'` is the number 42). `FAULTLINE_SEED`, when set, overrides it (so the
   * printed replay command always reproduces the run); with `FAULTLINE_RUN=<k>` too, only for the
   * k-th `simulate` call of the test. Default 1.
   */
  seed?: Seed;
  /** Keep running (firing timers) until this virtual time, even after the body settles. */
  until?: Duration;
  /** Run the body twice and throw `NonDeterminismError` if the traces differ. */
  checkDeterminism?: boolean;
  /** A name for the run, shown in traces and messages. */
  name?: string;
  /** Stop with `SimulationLimitError` after this many timer steps. Default 10,000,000. */
  maxSteps?: number;
  /** Stop with `SimulationLimitError` before virtual time passes this. Default 30 days (or `until`). */
  maxTime?: Duration;
  /**
   * A body (or task) still waiting while only intervals are queued, after this many
   * interval firings in a row that changed nothing observable, is stuck:
   * `SimulationDeadlockError` naming the intervals. Default 10,000. Not applied with `until`.
   */
  maxIdleIntervals?: number;
  /**
   * Real-time watchdog: stop with `SimulationLimitError` after this much wall time.
   * Default 60 s; under vitest, 80% of the calling test's timeout when that is less.
   * No limit can interrupt a body stuck in a synchronous loop or an endless
   * microtask chain: the check runs between kernel steps, which such a loop never yields to.
   */
  wallTimeout?: Duration;
  /**
   * Cancels the run: when it aborts, the run stops at once, every global is
   * restored, and `simulate` rejects with `SimulationError` code `ABORTED`.
   */
  signal?: AbortSignal;
  /** The virtual epoch `Date.now()` starts at. Default 2025-01-01T00:00:00Z. */
  startTime?: number | string | Date;
  /** Also trace every virtual timer firing (`timer.fire`), to pinpoint non-determinism. Default false. */
  traceTimers?: boolean;
  /**
   * Order of timers due at the same virtual time: `'creation'` (default, like Node)
   * or `'random'`, a seeded order, so races between agents are explored and a
   * failing order replays from its seed.
   */
  ties?: 'creation' | 'random';
  /**
   * Progress on long runs, about once per second of wall time: `true` prints a
   * line to stderr; a function receives the numbers. Default: off.
   */
  progress?: boolean | ((info: SimulationProgress) => void);
  /**
   * Swarm testing: every service and LLM of the run also gets `faults.swarm(options)`,
   * so each seed enables its own fault mix (`true` for the default mix). Default: off.
   */
  swarm?: boolean | SwarmOptions;
}

/** What `progress` reports. */
export interface SimulationProgress {
  readonly seed: Seed;
  readonly virtualTimeMs: number;
  readonly steps: number;
  readonly events: number;
  readonly wallMs: number;
}

export interface ResolvedOptions {
  seed: Seed;
  name: string | undefined;
  until: number | undefined;
  checkDeterminism: boolean;
  maxSteps: number;
  maxTime: number;
  wallTimeoutMs: number;
  maxIdleIntervals: number;
  epochMs: number;
  traceTimers: boolean;
  ties: 'creation' | 'random';
  progress: ((info: SimulationProgress) => void) | undefined;
  swarm: SwarmOptions | undefined;
  /** True when `wallTimeout` was given (else the default may follow the test's timeout). */
  wallTimeoutSet: boolean;
  signal: AbortSignal | undefined;
}

const KEYS = optionKeys<SimulateOptions>()([
  'seed',
  'until',
  'checkDeterminism',
  'name',
  'maxSteps',
  'maxTime',
  'wallTimeout',
  'maxIdleIntervals',
  'startTime',
  'traceTimers',
  'ties',
  'progress',
  'swarm',
  'signal',
]);
export const DEFAULT_EPOCH_MS = Date.UTC(2025, 0, 1);
const THIRTY_DAYS = 30 * 86_400_000;
const MAX_DATE_MS = 8.64e15;

export function resolveOptions(options: SimulateOptions, seed: Seed): ResolvedOptions {
  checkOptions('simulate', options, KEYS, true);
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
    throw new ConfigError('simulate({ seed })', seed, 'a finite number or a string');
  }
  if (options.name !== undefined && typeof options.name !== 'string') {
    throw new ConfigError('simulate({ name })', options.name, 'a string');
  }
  const until = options.until === undefined ? undefined : duration(options.until, 'simulate({ until })');
  const maxSteps = options.maxSteps ?? 10_000_000;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new ConfigError('simulate({ maxSteps })', options.maxSteps, 'an integer >= 1');
  }
  const maxTime =
    options.maxTime === undefined
      ? Math.max(until ?? 0, THIRTY_DAYS)
      : duration(options.maxTime, 'simulate({ maxTime })');
  if (until !== undefined && until > maxTime) {
    throw new ConfigError('simulate({ until })', options.until, `a time <= maxTime (${maxTime} ms)`);
  }
  const wallTimeoutMs =
    options.wallTimeout === undefined ? 60_000 : duration(options.wallTimeout, 'simulate({ wallTimeout })');
  for (const key of ['checkDeterminism', 'traceTimers'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new ConfigError(`simulate({ ${key} })`, options[key], 'true or false');
    }
  }
  return {
    seed,
    name: options.name,
    until,
    checkDeterminism: options.checkDeterminism ?? false,
    maxSteps,
    maxTime,
    wallTimeoutMs,
    maxIdleIntervals: resolveMaxIdleIntervals(options.maxIdleIntervals),
    epochMs: resolveEpoch(options.startTime),
    traceTimers: options.traceTimers ?? false,
    ties: oneOf('simulate({ ties })', options.ties ?? 'creation', ['creation', 'random'] as const),
    progress: resolveProgress(options.progress),
    swarm: resolveSwarm(options.swarm),
    wallTimeoutSet: options.wallTimeout !== undefined,
    signal: resolveSignal(options.signal),
  };
}

function resolveMaxIdleIntervals(value: unknown): number {
  if (value === undefined) return 10_000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError('simulate({ maxIdleIntervals })', value, 'an integer >= 1');
  }
  return value;
}

function resolveSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new ConfigError('simulate({ signal })', value, 'an AbortSignal');
}

function resolveEpoch(value: SimulateOptions['startTime']): number {
  if (value === undefined) return DEFAULT_EPOCH_MS;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  // Beyond ±8.64e15 ms a Date is invalid: `new Date()` inside the run would be NaN.
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    throw new ConfigError(
      'simulate({ startTime })',
      value,
      'epoch milliseconds within the Date range (±8.64e15), a Date or an ISO date string',
    );
  }
  return ms;
}

function resolveProgress(value: SimulateOptions['progress']): ResolvedOptions['progress'] {
  if (value === undefined || value === false) return undefined;
  if (typeof value === 'function') return value;
  if (value === true) {
    return (p) =>
      process.stderr.write(
        `faultline: seed ${p.seed}, virtual ${formatDuration(p.virtualTimeMs)}, ${p.steps} steps, ${p.events} events, ${(p.wallMs / 1000).toFixed(1)} s wall\n`,
      );
  }
  throw new ConfigError('simulate({ progress })', value, 'true, false or a function (info) => void');
}

function resolveSwarm(value: SimulateOptions['swarm']): SwarmOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  throw new ConfigError('simulate({ swarm })', value, 'true, false or swarm options { faults?, enable? }');
}

/*
 * What every resilience factory accepts besides its own options (name, clock,
 * random stream, trace sink), their keys for `checkOptions`, and how errors
 * become trace data. The option validators live in `options/validate.ts`.
 */
import { nameOption, optionPath } from '../options/validate.js';
import type { Random } from '../random/random.js';
import type { Clock } from '../time/clock.js';
import type { TraceSink } from '../trace/event.js';

/**
 * Options shared by every resilience primitive. Outside a simulation the defaults
 * are the real clock, `Math.random` and no trace; inside, `sim.breaker(...)` and
 * friends pass the run's clock, a forked random stream and the run's trace.
 */
export interface PolicyOptions {
  /** Name used as the trace actor and in error messages. */
  name?: string;
  /** Time source for timers and sleeps. Default `realClock`. */
  clock?: Clock;
  /** Random stream (jitter). Default `mathRandom`. */
  random?: Random;
  /** Where events go. Default `nullSink` (no event data is even built). */
  trace?: TraceSink;
}

/** Keys every resilience factory accepts: `name`, `clock`, `random`, `trace`. */
export const POLICY_KEYS = ['name', 'clock', 'random', 'trace'] as const;

/** The `name` option of `owner`: a non-empty string, else `fallback`. */
export function policyName(owner: string, name: unknown, fallback: string): string {
  return nameOption(optionPath(owner, 'name'), name, fallback);
}

/** An error as plain trace data. */
export function errorData(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

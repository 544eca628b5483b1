/*
 * What every resilience factory accepts besides its own options (name, clock,
 * random stream, trace sink), and how errors become trace data. The option
 * validators live in `options/validate.ts`.
 */
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

/** The keys of `PolicyOptions`, accepted by every resilience factory. */
export const POLICY_KEYS = ['name', 'clock', 'random', 'trace'] as const;

/** An error as plain trace data. */
export function errorData(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

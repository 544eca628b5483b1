/*
 * What every resilience factory accepts besides its own options (name, clock,
 * random stream, trace sink) and the validators that turn bad options into
 * `ConfigError`s naming the option.
 */
import { ConfigError } from '../errors/config-error.js';
import type { Random } from '../random/random.js';
import type { Clock } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';
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

/** An error as plain trace data. */
export function errorData(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

export function integerAtLeast(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(option, value, `an integer >= ${min}`);
  }
  return value;
}

export function numberInRange(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ConfigError(option, value, `a number in [${min}, ${max}]`);
  }
  return value;
}

export function finiteAtLeast(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(option, value, `a finite number >= ${min}`);
  }
  return value;
}

export function durationMs(option: string, value: Duration | undefined, fallback: number): number {
  return value === undefined ? fallback : duration(value, option);
}

export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(option, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

export function predicate<F extends Function>(option: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new ConfigError(option, value, 'a function');
  return value as F;
}

/** A signal that never aborts, shared so that the fast paths allocate nothing. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

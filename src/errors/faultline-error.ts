/**
 * Base class of every error faultline throws. Errors carry a brand so that
 * `FaultlineError.is(e)` works even when two copies of faultline are installed.
 */
const BRAND = Symbol.for('faultline.error');

export class FaultlineError extends Error {
  readonly [BRAND] = true;
  /** Stable machine-readable code, e.g. `'CONFIG'`, `'DEADLOCK'`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  static is(value: unknown): value is FaultlineError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** True when `value` is a faultline error with the given code (robust across package copies). */
export function hasCode(value: unknown, code: string): boolean {
  return FaultlineError.is(value) && value.code === code;
}

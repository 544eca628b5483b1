/*
 * The option keys every resilience factory shares, and the checks for them, so
 * that each factory's list of allowed keys (passed to `checkOptions`) starts
 * from one place.
 */
import { ConfigError } from '../errors/config-error.js';
import { optionPath } from '../options/validate.js';

/** Keys every resilience factory accepts: `name`, `clock`, `random`, `trace`. */
export const POLICY_KEYS = ['name', 'clock', 'random', 'trace'] as const;

/** The `name` option: a non-empty string, else `fallback`. */
export function policyName(owner: string, name: unknown, fallback: string): string {
  if (name === undefined) return fallback;
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(optionPath(owner, 'name'), name, 'a non-empty string');
  }
  return name;
}

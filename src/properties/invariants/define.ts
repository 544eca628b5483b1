/*
 * `invariants.define(name, check)`: a user's own invariant. `check` reads the
 * trace and returns what it found in whichever form is handy: nothing / `true`
 * (holds), `false` or a message (one violation), or a list of messages or
 * partial violations.
 */
import { ConfigError } from '../../errors/config-error.js';
import type { Trace } from '../../trace/trace.js';
import type { Invariant, Violation } from '../invariant.js';

/** What a user check may return. */
export type CheckResult =
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a check written as a block that returns nothing holds
  | void
  | boolean
  | string
  | Omit<Violation, 'invariant'>
  | ReadonlyArray<string | Omit<Violation, 'invariant'>>;

/**
 * Defines an invariant from a function of the trace.
 *
 * @example
 * ```ts
 * const answered = invariants.define('every run answers', (trace) =>
 *   trace.ofKind('agent.end').every((e) => e.data?.ok) || 'an agent run failed');
 * ```
 */
export function define(name: string, check: (trace: Trace) => CheckResult): Invariant {
  if (typeof name !== 'string' || name === '')
    throw new ConfigError('invariants.define(name)', name, 'a non-empty string');
  if (typeof check !== 'function') {
    throw new ConfigError('invariants.define(name, check)', check, 'a function (trace) => violations');
  }
  return {
    name,
    check(trace) {
      return normalize(name, check(trace));
    },
  };
}

function normalize(name: string, result: CheckResult): Violation[] {
  if (result === undefined || result === true) return [];
  if (result === false) return [{ invariant: name, message: `${name} does not hold` }];
  const list = typeof result === 'string' || !Array.isArray(result) ? [result] : result;
  return (list as Array<string | Omit<Violation, 'invariant'>>).map((v) =>
    typeof v === 'string' ? { invariant: name, message: v } : { ...v, invariant: name },
  );
}

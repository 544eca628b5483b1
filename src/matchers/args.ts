/*
 * Argument checks shared by the matchers: a wrong or extra argument throws a
 * `ConfigError` naming the matcher, the parameter, the value and what is
 * allowed (it does not fail the assertion, so `.not` cannot hide it).
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions } from '../options/validate.js';
import { type AsymmetricMatcher, isAsymmetric, type MatcherContext, matches, show } from './context.js';

/** A compared value: the literal, or an asymmetric matcher standing in for it. */
export type Expected<T> = T | AsymmetricMatcher;

/** Throws when more than `max` arguments were given. */
export function arity(matcher: string, args: readonly unknown[], max: number, signature: string): void {
  if (args.length > max) {
    throw new ConfigError(
      `${matcher}(…)`,
      args.slice(max),
      `at most ${max} argument${max === 1 ? '' : 's'}: ${matcher}(${signature})`,
    );
  }
}

/** A non-empty name (breaker, service, retry, …) or an asymmetric matcher; `undefined` only when optional. */
export function nameArg(
  matcher: string,
  param: string,
  value: unknown,
  optional: boolean,
): Expected<string> | undefined {
  if (value === undefined && optional) return undefined;
  if (isAsymmetric(value) || (typeof value === 'string' && value !== '')) return value;
  throw new ConfigError(
    `${matcher}(${param})`,
    value,
    `a non-empty string or an asymmetric matcher such as expect.stringMatching(/llm/)${optional ? ' (or nothing: any)' : ''}`,
  );
}

/** An expected count: an integer >= 0 or an asymmetric matcher; `undefined` means "at least once". */
export function countArg(matcher: string, param: string, value: unknown): Expected<number> | undefined {
  if (value === undefined || isAsymmetric(value)) return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ConfigError(
    `${matcher}(${param})`,
    value,
    'an integer >= 0 or an asymmetric matcher such as expect.any(Number) (or nothing: at least once)',
  );
}

/** An options object with only the `allowed` keys (or `undefined`). */
export function optionsArg<T extends object>(
  matcher: string,
  value: unknown,
  allowed: readonly string[],
): Partial<T> {
  return checkOptions(matcher, value as T | undefined, allowed);
}

/** Whether `actual` satisfies an expected count (`undefined`: at least once). */
export function countMatches(
  ctx: MatcherContext,
  actual: number,
  expected: Expected<number> | undefined,
): boolean {
  return expected === undefined ? actual > 0 : matches(ctx, actual, expected);
}

/** `at least once`, `once`, `3 times`, `Any<Number> times`. */
export function countPhrase(expected: Expected<number> | undefined): string {
  if (expected === undefined) return 'at least once';
  if (expected === 1) return 'once';
  return `${show(expected)} times`;
}

/** Whether an event's actor matches an expected name (`undefined`: any). */
export function nameMatches(
  ctx: MatcherContext,
  actor: string | undefined,
  expected: Expected<string> | undefined,
): boolean {
  if (expected === undefined) return true;
  if (actor === undefined) return false;
  return typeof expected === 'string' ? actor === expected : matches(ctx, actor, expected);
}

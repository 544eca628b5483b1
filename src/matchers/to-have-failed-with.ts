import { ConfigError } from '../errors/config-error.js';
import { FaultlineError } from '../errors/faultline-error.js';
import { arity } from './args.js';
import { isAsymmetric, type MatcherContext, type MatcherOutcome, matches, show } from './context.js';
import { simulationResult } from './received.js';
import { verdict } from './report.js';
import { describeError, describeOutcome, endEvents } from './run-outcome.js';

type ErrorClass = abstract new (...args: any[]) => unknown;

/**
 * Passes when the simulation body threw an error that matches `expected`, as
 * vitest's `toThrow` matches: an error class (instance of it; faultline errors
 * also by name, robust to two installed copies), a substring of the message,
 * a RegExp, an error (same message) or an asymmetric matcher.
 *
 * @example
 * ```ts
 * expect(result).toHaveFailedWith(RetryExhaustedError);
 * expect(result).toHaveFailedWith(/circuit breaker "llm" is open/);
 * ```
 */
export function toHaveFailedWith(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveFailedWith';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 1, 'errorClass | message');
  const expected = args[0];
  const test = errorTest(this, matcher, expected);
  const failed = result.outcome === 'failed';
  const error = result.error;
  const message = messageOf(error);
  const pass = failed && test.matches(error);
  return verdict(this, result, pass, {
    subject: 'the run',
    predicate: `fail with ${test.label}`,
    happened: describeOutcome(result),
    ...endEvents(result),
    actual: failed
      ? test.compares === 'class'
        ? errorName(error)
        : message
      : `no error (${result.outcome})`,
    expected: test.compares === 'class' ? (expected as ErrorClass).name : expected,
  });
}

interface ErrorTest {
  label: string;
  compares: 'class' | 'message' | 'error';
  matches(error: unknown): boolean;
}

function errorTest(ctx: MatcherContext, matcher: string, expected: unknown): ErrorTest {
  if (typeof expected === 'function') {
    const cls = expected as ErrorClass;
    return {
      label: cls.name
        ? `${/^[AEIOU]/.test(cls.name) ? 'an' : 'a'} ${cls.name}`
        : 'an error of the given class',
      compares: 'class',
      matches: (error) =>
        error instanceof cls || (FaultlineError.is(error) && cls.name !== '' && error.name === cls.name),
    };
  }
  if (typeof expected === 'string')
    return {
      label: `an error whose message contains ${show(expected)}`,
      compares: 'message',
      matches: (error) => messageOf(error)?.includes(expected) === true,
    };
  if (expected instanceof RegExp)
    return {
      label: `an error whose message matches ${expected}`,
      compares: 'message',
      matches: (error) => {
        const m = messageOf(error);
        return m !== undefined && expected.test(m);
      },
    };
  if (expected instanceof Error)
    return {
      label: `an error with the message ${show(expected.message)}`,
      compares: 'message',
      matches: (error) => messageOf(error) === expected.message,
    };
  if (isAsymmetric(expected))
    return {
      label: `an error matching ${show(expected)}`,
      compares: 'error',
      matches: (e) => matches(ctx, e, expected),
    };
  throw new ConfigError(
    `${matcher}(expected)`,
    expected,
    'an error class, a message substring, a RegExp, an error or an asymmetric matcher',
  );
}

function messageOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string')
    return (error as Error).message;
  return typeof error === 'string' ? error : undefined;
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as Error).name === 'string'
    ? (error as Error).name
    : describeError(error);
}

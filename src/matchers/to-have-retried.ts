import { ConfigError } from '../errors/config-error.js';
import { arity, countArg, countPhrase, type Expected, nameArg, optionsArg } from './args.js';
import { isAsymmetric, type MatcherContext, type MatcherOutcome, matches, show } from './context.js';
import { simulationResult } from './received.js';
import { capped, count, verdict } from './report.js';
import { describeGaveUp, describeScheduled, policyRoster, retryHistory } from './retry-history.js';
import { absent, unknownName } from './unknown-name.js';

/** Bounds on a number of retries, both inclusive. */
export interface RetryBounds {
  min?: number;
  max?: number;
}

/**
 * Passes when retry policies (or the one named `{ name }`) made retries —
 * attempts after the first — at least once, exactly `times`, or within
 * `{ min, max }` (inclusive). A `name` no policy of the run has fails, with or
 * without `.not`.
 *
 * @example
 * ```ts
 * expect(result).toHaveRetried(3, { name: 'llm' });
 * expect(result).toHaveRetried({ min: 1, max: 5 });
 * ```
 */
export function toHaveRetried(this: MatcherContext, received: unknown, ...args: unknown[]): MatcherOutcome {
  const matcher = 'toHaveRetried';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 2, 'times | { min?, max }, { name? }');
  const expected = retriesArg(matcher, args[0]);
  const { name: rawName } = optionsArg<{ name: unknown }>(matcher, args[1], ['name']);
  const name = nameArg(matcher, '{ name }', rawName, true);
  const h = retryHistory(this, result.trace, name);
  const subject = name === undefined ? 'the retry policies' : `retry ${show(name)}`;
  const predicate = `retry ${isBounds(expected) ? boundsPhrase(expected) : countPhrase(expected)}`;
  const missing = absent(this, name, policyRoster(h));
  if (missing) return unknownName(this, result, subject, predicate, missing, name === undefined);
  const n = h.retries.length;
  const pass = isBounds(expected)
    ? n >= (expected.min ?? 0) && n <= (expected.max ?? Number.POSITIVE_INFINITY)
    : expected === undefined
      ? n > 0
      : matches(this, n, expected);
  const happened: string[] = [];
  if (h.events.length === 0) happened.push('no retry policy in this run');
  else {
    const firsts = h.events.filter((e) => e.kind === 'retry.attempt' && e.data?.attempt === 1).length;
    happened.push(
      `${count(n, 'retry', 'retries')} over ${count(firsts, 'call')}${h.scheduled.length ? ':' : ''}`,
    );
    if (h.scheduled.length) happened.push(`  ${capped(h.scheduled.map(describeScheduled), 6, '\n  ')}`);
    const gave = describeGaveUp(h.gaveUp);
    if (gave) happened.push(gave);
  }
  return verdict(this, result, pass, {
    subject,
    predicate,
    happened,
    relevant: h.events,
    decisive: h.scheduled.length > 0 ? h.scheduled : h.gaveUp,
    ...(expected === undefined || isBounds(expected) ? {} : { actual: n, expected }),
  });
}

function isBounds(value: unknown): value is RetryBounds {
  return typeof value === 'object' && value !== null && !isAsymmetric(value);
}

function boundsPhrase(b: RetryBounds): string {
  if (b.max === undefined) return `at least ${times(b.min!)}`;
  if (b.min === undefined) return `at most ${times(b.max)}`;
  return `between ${b.min} and ${b.max} times`;
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function retriesArg(matcher: string, value: unknown): Expected<number> | RetryBounds | undefined {
  if (!isBounds(value)) return countArg(matcher, 'times', value);
  const { min, max } = optionsArg<RetryBounds>(matcher, value, ['min', 'max']);
  for (const [key, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0))
      throw new ConfigError(`${matcher}({ ${key} })`, v, 'an integer >= 0');
  }
  if (min === undefined && max === undefined)
    throw new ConfigError(`${matcher}({ min, max })`, value, 'at least one of min and max');
  if (min !== undefined && max !== undefined && min > max)
    throw new ConfigError(`${matcher}({ min, max })`, value, 'min <= max');
  return { min, max };
}

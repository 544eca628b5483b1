import { arity, nameArg } from './args.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { simulationResult } from './received.js';
import { capped, count, verdict } from './report.js';
import { describeScheduled, policyRoster, retryHistory } from './retry-history.js';
import { absent, unknownName } from './unknown-name.js';

/**
 * Passes when retry policies (or the named one) met at least one Retry-After
 * (`retry-after`, `retry-after-ms`) and waited at least that long before every
 * such retry. A run where no retry saw a Retry-After fails: there was nothing
 * to honor. A name no retry policy of the run has fails, with or without `.not`.
 *
 * @example
 * ```ts
 * expect(result).toHaveHonoredRetryAfter('llm');
 * ```
 */
export function toHaveHonoredRetryAfter(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveHonoredRetryAfter';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 1, 'name?');
  const name = nameArg(matcher, 'name', args[0], true);
  const h = retryHistory(this, result.trace, name);
  const subject = name === undefined ? 'the retry policies' : `retry ${show(name)}`;
  const predicate = 'honor Retry-After (wait at least as long as the server asked)';
  const missing = absent(this, name, policyRoster(h));
  if (missing) return unknownName(this, result, subject, predicate, missing, name === undefined);
  const asked = h.scheduled.filter((e) => typeof e.data?.retryAfter === 'number');
  const early = asked.filter((e) => Number(e.data?.delay) < Number(e.data?.retryAfter));
  const happened: string[] = [];
  if (h.events.length === 0) {
    happened.push('no retry policy in this run');
  } else if (asked.length === 0) {
    happened.push(`no retry met a Retry-After (${count(h.scheduled.length, 'retry', 'retries')} scheduled)`);
  } else if (early.length === 0) {
    happened.push(
      `all ${count(asked.length, 'retry', 'retries')} after a Retry-After waited at least that long:`,
    );
    happened.push(`  ${capped(asked.map(describeScheduled), 4, '\n  ')}`);
  } else {
    happened.push(
      `${early.length} of ${count(asked.length, 'retry', 'retries')} after a Retry-After came too soon:`,
    );
    happened.push(`  ${capped(early.map(describeScheduled), 4, '\n  ')}`);
  }
  return verdict(this, result, asked.length > 0 && early.length === 0, {
    subject,
    predicate,
    happened,
    relevant: h.events,
    decisive: early.length ? early : asked.length ? asked : h.scheduled,
  });
}

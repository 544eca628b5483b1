import { formatDuration } from '../time/duration.js';
import { arity, countArg, countMatches, countPhrase, nameArg, nameMatches } from './args.js';
import { type MatcherContext, type MatcherOutcome, show } from './context.js';
import { faultKindArg } from './fault-kind-arg.js';
import { simulationResult } from './received.js';
import { capped, count, verdict } from './report.js';

/**
 * Passes when a fault of `kind` (the `faults.*` name: `'outage'`, `'rateLimit'`,
 * `'errors'`, …; the inner kind under `when` / `swarm`) was injected into a
 * call: at least once, or exactly / matching `times`. A kind that is not in
 * the catalog and that the run did not inject throws a `ConfigError`.
 *
 * @example
 * ```ts
 * expect(result).toHaveInjectedFault('outage');
 * expect(result).toHaveInjectedFault('rateLimit', expect.any(Number));
 * ```
 */
export function toHaveInjectedFault(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const matcher = 'toHaveInjectedFault';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 2, 'kind, times?');
  const kind = nameArg(matcher, 'kind', args[0], false);
  const times = countArg(matcher, 'times', args[1]);
  const injected = result.trace.ofKind('fault.injected');
  faultKindArg(
    this,
    `${matcher}(kind)`,
    kind!,
    injected.map((e) => String(e.data?.fault)),
  );
  const mine = injected.filter((e) => nameMatches(this, String(e.data?.fault), kind));
  const byKind = new Map<string, number>();
  for (const e of injected) {
    const key = `${String(e.data?.fault)} on '${e.actor}'`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  const happened = [
    mine.length
      ? `${show(kind)} was injected ${count(mine.length, 'time')}, from +${formatDuration(mine[0]!.t)} to +${formatDuration(mine[mine.length - 1]!.t)}`
      : `${show(kind)} was never injected`,
    injected.length
      ? `faults injected in the run: ${capped([...byKind].map(([k, n]) => `${k} ×${n}`))}`
      : 'no fault was injected in the run',
  ];
  return verdict(this, result, countMatches(this, mine.length, times), {
    subject: `fault ${show(kind)}`,
    predicate: `be injected ${countPhrase(times)}`,
    happened,
    relevant: mine,
    decisive: [],
    ...(times === undefined ? {} : { actual: mine.length, expected: times }),
  });
}

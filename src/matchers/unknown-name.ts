/*
 * A name the run does not have. A matcher asked about a breaker, service,
 * retry policy, … that no trace event names fails with and without `.not`
 * (its `pass` is `isNot`, which vitest's flip turns into a failure either
 * way), so a misspelt name cannot make a negated assertion pass. Primitives
 * trace a `*.declared` / `service.create` event when they are made, so one
 * that was created but never used is known.
 */
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import { type Expected, nameMatches } from './args.js';
import { isAsymmetric, type MatcherContext, type MatcherOutcome, show } from './context.js';
import { didYouMean } from './did-you-mean.js';
import { capped, verdict } from './report.js';

/** The names of one sort the run has. */
export interface Roster {
  /** What a name stands for: `breaker`, `service`, `retry policy`. */
  readonly what: string;
  /** Every name of that sort in the run, in order of first appearance. */
  readonly names: readonly string[];
  /** How the names are listed: `breakers: 'llm', 'db'` (default: `<what>s: …`). */
  readonly listing?: string;
  /** Said instead of a listing when the run has none. */
  readonly none?: string;
  /** One more remark about the asked name (`'db' is a service, …`). */
  readonly remark?: string;
}

/** The line saying the run has no such name, or `undefined` when a name of the roster matches. */
export function missingName(ctx: MatcherContext, name: Expected<string>, roster: Roster): string | undefined {
  if (roster.names.some((n) => nameMatches(ctx, n, name))) return undefined;
  const asked = isAsymmetric(name) ? `matching ${show(name)}` : `named ${show(name)}`;
  const listing =
    roster.names.length === 0
      ? (roster.none ?? `it has no ${roster.what}`)
      : (roster.listing ?? `${roster.what}s: ${quoted(roster.names)}`);
  const guess = typeof name === 'string' ? didYouMean(name, roster.names) : undefined;
  return `no ${roster.what} ${asked} in this run (${listing})${guess ? `; did you mean ${show(guess)}?` : ''}${roster.remark ? `; ${roster.remark}` : ''}`;
}

/** `'llm', 'db'`, capped. */
export function quoted(names: readonly string[]): string {
  const shown = names.map((n) => show(n));
  return capped(shown, 8);
}

/**
 * For a matcher asked about any of a sort (no name given): the line saying the run has
 * none of that sort at all, else `undefined`. `.not.toHaveTrippedBreaker()` on a run with
 * no breaker (one left uninstrumented, say) would otherwise pass without judging anything.
 */
export function noneAtAll(roster: Roster): string | undefined {
  return roster.names.length === 0 ? `no ${roster.what} at all in this run` : undefined;
}

/** The line for a name (or, with no name, the sort) the run does not have: see `missingName`, `noneAtAll`. */
export function absent(
  ctx: MatcherContext,
  name: Expected<string> | undefined,
  roster: Roster,
): string | undefined {
  return name === undefined ? noneAtAll(roster) : missingName(ctx, name, roster);
}

/**
 * The outcome for a name the run does not have (or, with `none`, a sort it has none of):
 * a failure with or without `.not`.
 */
export function unknownName(
  ctx: MatcherContext,
  result: SimulationResult,
  subject: string,
  predicate: string,
  missing: string,
  none = false,
): MatcherOutcome {
  const why = none ? 'a run that has none' : 'a name the run does not have';
  return verdict(ctx, result, ctx.isNot, {
    subject,
    predicate,
    happened: ctx.isNot ? [missing, `(.not cannot pass on ${why})`] : [missing],
  });
}

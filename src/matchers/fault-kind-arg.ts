import { ConfigError } from '../errors/config-error.js';
import { faults } from '../faults/index.js';
import type { Expected } from './args.js';
import { isAsymmetric, type MatcherContext, matches, show } from './context.js';
import { didYouMean } from './did-you-mean.js';

/** The combinators: their effects are traced under the kind of the fault they wrap. */
const WRAPPERS = new Set(['when', 'swarm']);

/** The kinds a catalog fault is traced as in `fault.injected` (`'outage'`, `'rateLimit'`, …). */
export const FAULT_KINDS: readonly string[] = Object.keys(faults).filter((k) => !WRAPPERS.has(k));

/**
 * A fault kind that can be injected: one of the catalog's, or one this run
 * injected (a fault of the user's own, from `defineFault`). Anything else can
 * never be injected, so it is a bad argument (`ConfigError`), not a result.
 */
export function faultKindArg(
  ctx: MatcherContext,
  path: string,
  kind: Expected<string>,
  injected: readonly string[],
): void {
  const known = [...new Set([...FAULT_KINDS, ...injected])];
  if (known.some((k) => k === kind || (isAsymmetric(kind) && matches(ctx, k, kind)))) return;
  const guess = typeof kind === 'string' ? didYouMean(kind, known) : undefined;
  const wrapper =
    typeof kind === 'string' && WRAPPERS.has(kind)
      ? ` (faults.${kind} is traced under the kind of the fault it wraps)`
      : '';
  throw new ConfigError(
    path,
    isAsymmetric(kind) ? show(kind) : kind,
    `a fault kind of the catalog (${FAULT_KINDS.map((k) => `'${k}'`).join(', ')}) or one this run injected${guess ? `; did you mean '${guess}'?` : ''}${wrapper}`,
  );
}

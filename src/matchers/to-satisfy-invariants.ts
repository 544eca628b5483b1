import { ConfigError } from '../errors/config-error.js';
import type { Invariant, Violation } from '../properties/invariant.js';
import { invariants as catalog } from '../properties/invariants/index.js';
import { describeViolation } from '../properties/report.js';
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import type { TraceEvent } from '../trace/event.js';
import type { MatcherContext, MatcherOutcome } from './context.js';
import { simulationResult } from './received.js';
import { verdict } from './report.js';

const SHOWN = 5;

function isInvariant(value: unknown): value is Invariant {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Invariant).name === 'string' &&
    typeof (value as Invariant).check === 'function'
  );
}

/** Runs `list` over the run's trace and reports the violations as a matcher verdict. */
export function judge(
  ctx: MatcherContext,
  result: SimulationResult,
  list: readonly Invariant[],
  predicate: string,
): MatcherOutcome {
  const violations: Violation[] = list.flatMap((inv) => inv.check(result.trace));
  const events = result.trace.events;
  const decisive = violations.flatMap((v) => {
    const e = v.event ? events[v.event.seq] : undefined;
    return e ? [e as TraceEvent] : [];
  });
  const happened =
    violations.length === 0
      ? [`every invariant held (${list.map((i) => i.name).join(', ')}) over ${events.length} events`]
      : [
          `${violations.length} violation${violations.length === 1 ? '' : 's'}:`,
          ...violations.slice(0, SHOWN).map(describeViolation),
          ...(violations.length > SHOWN ? [`… ${violations.length - SHOWN} more`] : []),
        ];
  return verdict(ctx, result, violations.length === 0, {
    subject: 'the run',
    predicate,
    happened,
    relevant: events,
    decisive,
    actual: violations.map((v) => `${v.invariant}: ${v.message}`),
    expected: [],
  });
}

/**
 * Passes when the run's trace satisfies every given invariant (from
 * `faultline/property`'s catalog or `invariants.define`), or, with none given,
 * every applicable one (`invariants.all()`).
 *
 * @example
 * ```ts
 * expect(result).toSatisfyInvariants();
 * expect(result).toSatisfyInvariants(invariants.breaker(), invariants.noRetryStorm({ maxAmplification: 1.5 }));
 * ```
 */
export function toSatisfyInvariants(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): MatcherOutcome {
  const result = simulationResult(received, 'toSatisfyInvariants');
  args.forEach((a, i) => {
    if (!isInvariant(a)) {
      throw new ConfigError(
        `toSatisfyInvariants(invariants[${i}])`,
        a,
        "an invariant such as invariants.breaker() from 'faultline/property' (or none: every applicable one)",
      );
    }
  });
  const list = args.length > 0 ? (args as Invariant[]) : catalog.all();
  const names = list.map((i) => i.name).join(', ');
  return judge(
    this,
    result,
    list,
    args.length > 0 ? `satisfy ${names}` : `satisfy every applicable invariant`,
  );
}

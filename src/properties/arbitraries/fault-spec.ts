/*
 * Generated faults that stay data. A `faults.*` value holds closures, so it
 * cannot be saved in the failure graveyard or printed as code; the faults that
 * `arb.faultPlan()` generates carry their recipe: `toJSON()` gives
 * `{ $fault: 'errors', options: { rate: 0.2, status: 503 } }` (what
 * `reviveFaults` turns back into the same fault) and fast-check prints them as
 * `faults.errors({"rate":0.2,"status":503})`, pasteable into a test.
 */
import fc from 'fast-check';
import type { Fault } from '../../faults/fault.js';
import { faults } from '../../faults/index.js';

/** The fault builders a generated plan may use. */
export type FaultKind = 'errors' | 'outage' | 'latency' | 'rateLimit' | 'reset' | 'timeout' | 'hang';

/** A fault and the call that built it. */
export interface FaultSpec {
  readonly $fault: FaultKind;
  readonly options: unknown;
}

const BUILDERS: Record<FaultKind, (options: any) => Fault> = {
  errors: faults.errors,
  outage: faults.outage,
  latency: faults.latency,
  rateLimit: faults.rateLimit,
  reset: faults.reset,
  timeout: faults.timeout,
  hang: faults.hang,
};

/** Builds `faults[kind](options)` and attaches its recipe (JSON and printed form). */
export function specFault(kind: FaultKind, options: unknown): Fault {
  const fault = BUILDERS[kind](options);
  const spec: FaultSpec = { $fault: kind, options };
  const printed = `faults.${kind}(${JSON.stringify(options)})`;
  const withRecipe = {
    ...fault,
    toJSON: () => spec,
    toString: () => printed,
    [fc.toStringMethod]: () => printed,
  };
  return withRecipe;
}

/** True for a saved fault recipe (`{ $fault, options }`). */
export function isFaultSpec(value: unknown): value is FaultSpec {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FaultSpec).$fault === 'string' &&
    (value as FaultSpec).$fault in BUILDERS
  );
}

/** Turns saved recipes anywhere inside `value` back into faults (the graveyard's reviver). */
export function reviveFaults(value: unknown): unknown {
  if (isFaultSpec(value)) return specFault(value.$fault, value.options);
  if (Array.isArray(value)) return value.map(reviveFaults);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = reviveFaults(v);
    return out;
  }
  return value;
}

/*
 * `arb.faultPlan({ horizon, kinds? })`: a list of `faults.*` values for
 * `sim.service({ faults })`. Shrinks toward fewer faults, shorter windows and
 * milder parameters (lower rates, later and shorter outages, less latency,
 * looser rate limits).
 */
import fc from 'fast-check';
import { ConfigError } from '../../errors/config-error.js';
import type { Fault } from '../../faults/fault.js';
import { checkOptions, integerAtLeast } from '../../options/validate.js';
import { type Duration, duration } from '../../time/duration.js';
import { type FaultKind, specFault } from './fault-spec.js';

export interface FaultPlanOptions {
  /** The fault phase's length: outages and windows fall inside it. */
  horizon: Duration;
  /** Which builders to draw from. Default: errors, outage, latency, rateLimit, reset. */
  kinds?: readonly FaultKind[];
  /** Most faults in one plan. Default 4. */
  maxFaults?: number;
}

const DEFAULT_KINDS: readonly FaultKind[] = ['errors', 'outage', 'latency', 'rateLimit', 'reset'];
const ALL_KINDS: readonly FaultKind[] = [
  'errors',
  'outage',
  'latency',
  'rateLimit',
  'reset',
  'timeout',
  'hang',
];

/** A rate in (0, 1] as whole percents, shrinking toward 1 %. */
const percent = fc.integer({ min: 1, max: 100 }).map((p) => p / 100);

function faultArbitrary(kind: FaultKind, horizon: number): fc.Arbitrary<Fault> {
  switch (kind) {
    case 'errors':
      return fc
        .record({ rate: percent, status: fc.constantFrom(503, 500, 502, 429, 400) })
        .map((o) => specFault('errors', o));
    case 'outage':
      // `at` shrinks toward the end of the horizon (later is milder), `for` toward 1 ms.
      return fc
        .record({
          before: fc.integer({ min: 0, max: horizon }),
          length: fc.integer({ min: 1, max: horizon }),
        })
        .map(({ before, length }) => specFault('outage', { at: horizon - before, for: length }));
    case 'latency':
      return fc
        .integer({ min: 1, max: Math.max(1, Math.min(horizon, 5000)) })
        .map((ms) => specFault('latency', ms));
    case 'rateLimit':
      return fc
        .record({
          tighter: fc.integer({ min: 0, max: 19 }),
          per: fc.integer({ min: 100, max: Math.max(100, horizon) }),
        })
        .map(({ tighter, per }) => specFault('rateLimit', { limit: 20 - tighter, per }));
    case 'reset':
      return fc.record({ rate: percent }).map((o) => specFault('reset', o));
    case 'timeout':
      return fc
        .record({ rate: percent, after: fc.integer({ min: 1, max: Math.max(1, Math.min(horizon, 30_000)) }) })
        .map((o) => specFault('timeout', o));
    case 'hang':
      return fc.record({ rate: percent }).map((o) => specFault('hang', o));
  }
}

/**
 * A fault schedule for one service over `horizon`.
 *
 * @example
 * ```ts
 * arbitraries: { faults: arb.faultPlan({ horizon: '1m', kinds: ['errors', 'outage'] }) }
 * // scenario: sim.service('llm', { faults: values.faults, handle })
 * ```
 */
export function faultPlan(options: FaultPlanOptions): fc.Arbitrary<Fault[]> {
  const o = checkOptions('arb.faultPlan', options, ['horizon', 'kinds', 'maxFaults'], true);
  const horizon = duration(o.horizon as Duration, 'arb.faultPlan({ horizon })');
  if (!(horizon >= 1)) throw new ConfigError('arb.faultPlan({ horizon })', o.horizon, 'a duration >= 1 ms');
  const kinds = o.kinds ?? DEFAULT_KINDS;
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !ALL_KINDS.includes(k))) {
    throw new ConfigError('arb.faultPlan({ kinds })', o.kinds, `a non-empty list of ${ALL_KINDS.join(', ')}`);
  }
  const maxFaults = integerAtLeast('arb.faultPlan({ maxFaults })', o.maxFaults ?? 4, 0);
  return fc.array(fc.oneof(...kinds.map((k) => faultArbitrary(k, Math.round(horizon)))), {
    maxLength: maxFaults,
  });
}

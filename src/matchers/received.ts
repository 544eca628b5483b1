import type { SimulationResult } from '../simulators/kernel/simulation-result.js';

/*
 * The received value of every matcher must be what `simulate` resolves to.
 * Anything else throws (it does not fail), so `.not` cannot pass by accident.
 */

const OUTCOMES = new Set(['ok', 'failed', 'stopped']);

/** True for a value shaped like a `SimulationResult` (duck-typed: robust to two copies of faultline). */
export function isSimulationResult(value: unknown): value is SimulationResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const trace = r.trace as Record<string, unknown> | undefined;
  return (
    (typeof r.seed === 'number' || typeof r.seed === 'string') &&
    OUTCOMES.has(r.outcome as string) &&
    typeof r.rerun === 'string' &&
    typeof r.stats === 'object' &&
    r.stats !== null &&
    typeof trace === 'object' &&
    trace !== null &&
    typeof trace.ofKind === 'function' &&
    typeof trace.format === 'function'
  );
}

/** Returns `received` as a result, or throws a `TypeError` that says what was received instead. */
export function simulationResult(received: unknown, matcher: string): SimulationResult {
  if (isSimulationResult(received)) return received;
  throw new TypeError(
    `${matcher}: expected a simulation result (what \`await simulate(…)\` resolves to), received ${describeReceived(received)}`,
  );
}

function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  if (typeof (value as { then?: unknown }).then === 'function')
    return 'a Promise (await simulate(…) before asserting on it)';
  const v = value as Record<string, unknown>;
  if (typeof v.ofKind === 'function' && typeof v.hash === 'string')
    return 'a Trace (assert on the result itself: expect(result), not expect(result.trace))';
  if (Array.isArray(value)) return `an array of ${value.length} item(s)`;
  const name = (value as object).constructor?.name;
  const keys = Object.keys(v).slice(0, 6);
  return `${name && name !== 'Object' ? `a ${name}` : 'an object'} with keys { ${keys.join(', ')}${Object.keys(v).length > keys.length ? ', …' : ''} }`;
}

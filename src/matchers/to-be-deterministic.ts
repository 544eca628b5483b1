import { rerunOf } from '../simulators/kernel/rerun.js';
import type { SimulationResult } from '../simulators/kernel/simulation-result.js';
import { canonicalLine } from '../trace/canonical.js';
import type { TraceEvent } from '../trace/event.js';
import { arity } from './args.js';
import type { MatcherContext, MatcherOutcome } from './context.js';
import { simulationResult } from './received.js';
import { verdict } from './report.js';
import { describeError } from './run-outcome.js';

/**
 * Reruns the scenario with the same seed and passes when the new trace has the
 * same hash. Async: `await expect(result).toBeDeterministic()`. The result must
 * come from `simulate` (or `simTest`) in this process.
 *
 * @example
 * ```ts
 * await expect(result).toBeDeterministic();
 * ```
 */
export async function toBeDeterministic(
  this: MatcherContext,
  received: unknown,
  ...args: unknown[]
): Promise<MatcherOutcome> {
  const matcher = 'toBeDeterministic';
  const result = simulationResult(received, matcher);
  arity(matcher, args, 0, '');
  const rerun = rerunOf(result);
  if (rerun === undefined) {
    throw new TypeError(
      `${matcher}: this result cannot be rerun; it must be what \`await simulate(…)\` resolved to in this process (a copy or a deserialized result has no scenario to replay)`,
    );
  }
  const subject = 'the run';
  const predicate = `be deterministic (a rerun with seed ${result.seed} gives the same trace)`;
  let second: SimulationResult;
  try {
    second = await rerun();
  } catch (error) {
    return verdict(this, result, false, {
      subject,
      predicate,
      happened: [`the rerun rejected: ${describeError(error)}`],
      relevant: result.trace.events.slice(-6),
    });
  }
  const a = result.trace;
  const b = second.trace;
  if (a.hash === b.hash) {
    return verdict(this, result, true, {
      subject,
      predicate,
      happened: [`both runs gave the same ${a.length} events (same trace hash)`],
    });
  }
  const i = firstDifference(a.events, b.events);
  const x = a.events[i];
  const y = b.events[i];
  const line = (e: typeof x) => (e ? canonicalLine(e) : '(run ended)');
  return verdict(this, result, false, {
    subject,
    predicate,
    happened: [
      `the rerun diverged at event #${i} (${a.length} vs ${b.length} events):`,
      `  run 1: ${line(x)}`,
      `  run 2: ${line(y)}`,
      'something in the scenario reads real time, unseeded randomness or real I/O, or depends on state left by the first run',
    ],
    relevant: a.events.slice(Math.max(0, i - 4), i + 1),
    decisive: x ? [x] : [],
    actual: line(y),
    expected: line(x),
  });
}

function firstDifference(a: readonly TraceEvent[], b: readonly TraceEvent[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y || canonicalLine(x) !== canonicalLine(y)) return i;
  }
  return n;
}

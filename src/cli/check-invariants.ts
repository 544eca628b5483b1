import { invariants } from '../properties/invariants/index.js';
import type { InvariantResult } from '../report/html-report.js';
import type { Trace } from '../trace/trace.js';

/** The verdicts of the default invariant catalog (`invariants.all()`) over a trace. */
export function checkInvariants(trace: Trace): InvariantResult[] {
  return invariants.all().map((invariant) => ({ name: invariant.name, violations: invariant.check(trace) }));
}

/** One line per violated invariant, e.g. `invariant breaker violated at event #12 (+1.5s): …`. */
export function violationText(results: readonly InvariantResult[]): string | undefined {
  const lines = results
    .filter((r) => r.violations.length > 0)
    .map((r) => {
      const v = r.violations[0]!;
      const where = v.event ? ` at event #${v.event.seq} (t=${v.event.t} ms)` : '';
      const more = r.violations.length > 1 ? ` (+${r.violations.length - 1} more)` : '';
      return `invariant ${r.name} violated${where}: ${v.message}${more}`;
    });
  return lines.length ? lines.join('\n') : undefined;
}

// `faultline/property`'s public types as a strict consumer uses them.
import { simulate } from 'faultline';
import { fc, type Invariant, invariants, type Violation } from 'faultline/property';

const result = await simulate({ seed: 1 }, async (sim) => {
  sim.breaker('llm', { failureThreshold: 2 });
});
const checks: Invariant[] = [...invariants.all(), invariants.noRetryStorm({ maxAmplification: 2 })];
const found: Violation[] = checks.flatMap((i) => i.check(result.trace));
const seq: number | undefined = found[0]?.event?.seq;
const mine: Invariant = invariants.define('has events', (trace) => trace.length > 0);
const n: fc.Arbitrary<number> = fc.integer();
void [seq, mine, n];

import { arb, type CheckProgress, checkResilience, type ResilienceCheckError } from 'faultline/property';

await checkResilience({
  arbitraries: {
    config: arb.breakerConfig(),
    faults: arb.faultPlan({ horizon: '1m' }),
    load: arb.workload(),
  },
  scenario: async (sim, { config, faults, load }) => {
    const svc = sim.service('llm', { faults, handle: () => 'ok' });
    const breaker = sim.breaker('llm', config);
    for (let i = 0; i < load.requests; i++) await breaker.execute(() => svc.call(i)).catch(() => {});
  },
  invariants: [invariants.breaker()],
  numRuns: 10,
  progress: (p: CheckProgress) => void (p.phase === 'shrinking' ? p.shrinks : p.runs),
}).catch((e: ResilienceCheckError) => e.violations);

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

// `faultline/property` from the installed tarball: the catalog judges a real run, fc is fast-check.
import assert from 'node:assert/strict';
import { faults, simulate } from 'faultline';
import { fc, invariants } from 'faultline/property';

assert.equal(typeof fc.assert, 'function');
const result = await simulate({ seed: 3 }, async (sim) => {
  const svc = sim.service('llm', { faults: [faults.errors({ rate: 0.5, status: 503 })], handle: () => 'ok' });
  const breaker = sim.breaker('llm', { failureThreshold: 2, timeout: '1s' });
  for (let i = 0; i < 20; i++) {
    await breaker.execute(() => svc.call(i)).catch(() => {});
    await sim.sleep('300ms');
  }
});
assert.deepEqual(
  invariants.all().flatMap((i) => i.check(result.trace)),
  [],
);
const broken = invariants.define('never', () => 'always broken');
assert.equal(broken.check(result.trace)[0].message, 'always broken');

// checkResilience with the arbitraries: passes on faultline's breaker, and a broken claim is reported.
import { arb, checkResilience } from 'faultline/property';

const property = (claimedThreshold) => ({
  arbitraries: { faults: arb.faultPlan({ horizon: '5s', kinds: ['errors'] }) },
  scenario: async (sim, { faults }) => {
    const svc = sim.service('llm', { latency: '10ms', faults, handle: () => 'ok' });
    const breaker = sim.breaker('llm', { failureThreshold: claimedThreshold, timeout: '1s' });
    for (let i = 0; i < 30; i++) {
      await breaker.execute(() => svc.call(i)).catch(() => {});
      await sim.sleep('100ms');
    }
  },
  numRuns: 20,
  failures: false,
});
assert.equal((await checkResilience(property(2))).numRuns, 20);

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

// `faultline/matchers` from the installed tarball: a plain object of matcher functions usable
// without vitest (here called directly with a minimal matcher context).
import assert from 'node:assert/strict';
import { faults, simulate } from 'faultline';
import { isSimulationResult, matchers } from 'faultline/matchers';

assert.ok(Object.keys(matchers).length >= 13);
for (const fn of Object.values(matchers)) assert.equal(typeof fn, 'function');

const result = await simulate({ seed: 3 }, async (sim) => {
  const llm = sim.service('llm', {
    latency: 100,
    faults: [faults.outage({ at: 0, for: '1m' })],
    handle: () => 'ok',
  });
  const breaker = sim.breaker('llm', { failureThreshold: 3, timeout: '10s' });
  for (let i = 0; i < 5; i++) await breaker.execute(() => llm.call({})).catch(() => {});
});
assert.ok(isSimulationResult(result));
const context = { isNot: false, equals: (a, b) => a === b };
const tripped = matchers.toHaveTrippedBreaker.call(context, result, 'llm');
assert.equal(tripped.pass, true);
const untripped = matchers.toHaveTrippedBreaker.call(context, result, 'db');
assert.equal(untripped.pass, false);
assert.match(untripped.message(), /seed 3 — rerun: FAULTLINE_SEED=3 /);
assert.throws(() => matchers.toHaveSucceeded.call(context, 42), TypeError);

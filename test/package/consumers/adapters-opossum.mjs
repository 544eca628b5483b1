// `faultline/adapters/opossum` from the installed tarball: it loads without opossum (an
// optional peer, not installed here), then instruments the real opossum (the repository's copy).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { simulate } from 'faultline';
import { instrumentOpossum } from 'faultline/adapters/opossum';
import { invariants } from 'faultline/property';

await assert.rejects(import('opossum'), { code: 'ERR_MODULE_NOT_FOUND' });
const CircuitBreaker = createRequire(join(process.env.FAULTLINE_REPO_MODULES, 'consumer.cjs'))('opossum');

const result = await simulate({ seed: 3 }, async (sim) => {
  const breaker = instrumentOpossum(
    sim,
    'llm',
    new CircuitBreaker(async (fail) => (fail ? Promise.reject(new Error('down')) : 'ok'), {
      resetTimeout: 1000,
      errorThresholdPercentage: 50,
      volumeThreshold: 2,
    }),
  );
  await breaker.fire(false);
  await breaker.fire(true).catch(() => {}); // 1 of 2: 50 %, not above
  await breaker.fire(true).catch(() => {}); // 2 of 3: opens
  await assert.rejects(breaker.fire(false), { code: 'EOPENBREAKER' });
  await sim.sleep(1000);
  assert.equal(await breaker.fire(false), 'ok');
  breaker.shutdown();
});
assert.equal(result.error, undefined);
assert.deepEqual(
  result.trace.ofKind('breaker.state').map((e) => e.data.to),
  ['open', 'half-open', 'closed'],
);
assert.deepEqual(invariants.breaker().check(result.trace), []);

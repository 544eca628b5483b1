// `faultline/adapters/cockatiel` from the installed tarball: it loads without cockatiel (an
// optional peer, not installed here), then instruments the real cockatiel (the repository's copy).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { simulate } from 'faultline';
import { instrumentCockatiel } from 'faultline/adapters/cockatiel';
import { invariants } from 'faultline/property';

await assert.rejects(import('cockatiel'), { code: 'ERR_MODULE_NOT_FOUND' });
const { circuitBreaker, ConsecutiveBreaker, handleAll } = createRequire(
  join(process.env.FAULTLINE_REPO_MODULES, 'consumer.cjs'),
)('cockatiel');

const result = await simulate({ seed: 3 }, async (sim) => {
  const policy = instrumentCockatiel(
    sim,
    'llm',
    circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) }),
  );
  for (let i = 0; i < 2; i++) await policy.execute(() => Promise.reject(new Error('down'))).catch(() => {});
  await assert.rejects(
    policy.execute(() => 'never'),
    { isBrokenCircuitError: true },
  );
  await sim.sleep(1000);
  assert.equal(await policy.execute(async () => 'probe'), 'probe');
});
assert.equal(result.error, undefined);
assert.deepEqual(
  result.trace.ofKind('breaker.state').map((e) => e.data.to),
  ['open', 'half-open', 'closed'],
);
assert.deepEqual(invariants.breaker().check(result.trace), []);

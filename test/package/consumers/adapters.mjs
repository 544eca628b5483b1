// `faultline/adapters` from the installed tarball: a hand-written breaker and retry, instrumented,
// are judged by the catalog of `faultline/property`.
import assert from 'node:assert/strict';
import { simulate } from 'faultline';
import { instrumentBreaker, instrumentRetry } from 'faultline/adapters';
import { invariants } from 'faultline/property';

const result = await simulate({ seed: 2 }, async (sim) => {
  const inner = {
    state: 'closed',
    async execute(fn) {
      return fn();
    },
  };
  const breaker = instrumentBreaker(sim, 'mine', inner, {
    failureThreshold: 2,
    successThreshold: 1,
    timeout: 1000,
    maxConcurrentCalls: 1,
  });
  const retry = instrumentRetry(
    sim,
    'mine',
    { execute: (fn) => fn(1) },
    { maxRetries: 0, baseDelay: 10, maxDelay: 100, backoffFactor: 2, jitter: 'none' },
  );
  assert.equal(await retry.execute(() => breaker.execute(async () => 'ok')), 'ok');
});
assert.equal(result.trace.ofKind('breaker.declared').length, 1);
assert.equal(result.trace.ofKind('retry.declared').length, 1);
assert.deepEqual(
  [invariants.breaker(), invariants.retry()].flatMap((i) => i.check(result.trace)),
  [],
);

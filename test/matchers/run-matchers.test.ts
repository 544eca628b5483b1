import 'faultline/vitest';
import { RetryExhaustedError, ServiceError, type SimulationResult, simulate } from 'faultline';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthy, rateLimitIgnored, run } from './scenarios.js';

let ok: SimulationResult;
let failed: SimulationResult;
let stopped: SimulationResult;
let exhausted: SimulationResult;
beforeAll(async () => {
  ok = await run(4, healthy);
  failed = await run(6, rateLimitIgnored);
  stopped = await simulate({ seed: 7, until: '10s' }, (sim) => sim.sleep('1m'));
  exhausted = await simulate({ seed: 8 }, async (sim) => {
    const flaky = sim.service('flaky', { latency: 10, handle: () => Promise.reject(new Error('nope')) });
    const retry = sim.retry('flaky', { maxRetries: 1, baseDelay: '1s' });
    await retry.execute(() => flaky.call({}));
  });
});

describe('toHaveSucceeded', () => {
  it('passes when the body returned', () => {
    expect(ok).toHaveSucceeded();
  });

  it('ends with a command that selects the run (FAULTLINE_RUN) when it is not the first of its test', async () => {
    const first = await simulate({ seed: 4 }, () => 0);
    const second = await simulate({ seed: 6 }, () => {
      throw new Error('boom');
    });
    expect(() => expect(second).toHaveSucceeded()).toThrow(
      /\nseed 6 — rerun: FAULTLINE_SEED=6 FAULTLINE_RUN=2 npx vitest run test\/matchers\/run-matchers\.test\.ts -t 'ends with a command/,
    );
    expect(() => expect(first).not.toHaveSucceeded()).toThrow(
      /\nseed 4 — rerun: FAULTLINE_SEED=4 npx vitest run /,
    );
  });

  it('fails with how the run ended and the seed', () => {
    expect(() => expect(failed).toHaveSucceeded()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to succeed (the body returns)
      the body threw ServiceError: service "api" call #5 failed with HTTP 429: Rate limit exceeded (fault: rateLimit) (run ended at +900ms)
      trace excerpt:
           +0.850s  #25    fault.injected       api            call=5 effect=status errorType=rate_limit_error fault=rateLimit retryAfterMs=10000 status=429
           +0.900s  #26    service.end          api            call=5 fault=rateLimit latency=50 outcome=error status=429
           +0.900s  #27    sim.end                             error=ServiceError: service "api" call #5 failed with HTTP 429: Rate limit exceeded (fault: rateLimit)…
      seed 6 — rerun: FAULTLINE_SEED=6 npx vitest run test/matchers/run-matchers.test.ts]
    `);
    expect(() => expect(stopped).toHaveSucceeded()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to succeed (the body returns)
      the run was stopped by \`until\` at +10s before the body settled
      trace excerpt:
           +0.000s  #0     sim.start                           seed=7 until=10000
          +10.000s  #1     sim.end                             outcome=stopped pendingTasks=0 pendingTimers=1 steps=0
      seed 7 — rerun: FAULTLINE_SEED=7 npx vitest run test/matchers/run-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(failed).not.toHaveSucceeded();
    expect(() => expect(ok).not.toHaveSucceeded()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to succeed (the body returns)
      the body returned; the run ended at +60ms
      trace excerpt:
           +0.060s  #20    breaker.success      db             phase=0 state=closed
           +0.060s  #21    retry.success        db             attempts=1 call=3
           +0.060s  #22    sim.end                             outcome=ok pendingTasks=0 pendingTimers=0 steps=3
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/run-matchers.test.ts]
    `);
  });
});

describe('toHaveFailedWith', () => {
  it('matches as toThrow does: class, message substring, RegExp, error, asymmetric matcher', () => {
    expect(failed).toHaveFailedWith(ServiceError);
    expect(failed).toHaveFailedWith(Error);
    expect(failed).toHaveFailedWith('HTTP 429');
    expect(failed).toHaveFailedWith(/call #\d+ failed with HTTP 429/);
    expect(failed).toHaveFailedWith(new Error(String((failed.error as Error).message)));
    expect(failed).toHaveFailedWith(expect.objectContaining({ status: 429 }));
    expect(exhausted).toHaveFailedWith(RetryExhaustedError);
  });

  it('fails with the error the body threw (or that it did not throw)', () => {
    expect(() => expect(exhausted).toHaveFailedWith(ServiceError)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to fail with a ServiceError
      the body threw RetryExhaustedError: retry "flaky" gave up after 2 attempts (max-retries): nope (run ended at +318.662ms)
      trace excerpt:
           +0.319s  #11    retry.failed         flaky          attempt=2 call=1 class=transient error=Error: nope reason=unknown
           +0.319s  #12    retry.gave-up        flaky          attempts=2 call=1 error=Error: nope reason=max-retries
           +0.319s  #13    sim.end                             error=RetryExhaustedError: retry "flaky" gave up after 2 attempts (max-retries): nope outcome=failed p…
      seed 8 — rerun: FAULTLINE_SEED=8 npx vitest run test/matchers/run-matchers.test.ts]
    `);
    expect(() => expect(failed).toHaveFailedWith('timed out')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to fail with an error whose message contains 'timed out'
      the body threw ServiceError: service "api" call #5 failed with HTTP 429: Rate limit exceeded (fault: rateLimit) (run ended at +900ms)
      trace excerpt:
           +0.850s  #25    fault.injected       api            call=5 effect=status errorType=rate_limit_error fault=rateLimit retryAfterMs=10000 status=429
           +0.900s  #26    service.end          api            call=5 fault=rateLimit latency=50 outcome=error status=429
           +0.900s  #27    sim.end                             error=ServiceError: service "api" call #5 failed with HTTP 429: Rate limit exceeded (fault: rateLimit)…
      seed 6 — rerun: FAULTLINE_SEED=6 npx vitest run test/matchers/run-matchers.test.ts]
    `);
    expect(() => expect(ok).toHaveFailedWith(Error)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to fail with an Error
      the body returned; the run ended at +60ms
      trace excerpt:
           +0.060s  #20    breaker.success      db             phase=0 state=closed
           +0.060s  #21    retry.success        db             attempts=1 call=3
           +0.060s  #22    sim.end                             outcome=ok pendingTasks=0 pendingTimers=0 steps=3
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/run-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(ok).not.toHaveFailedWith(Error);
    expect(failed).not.toHaveFailedWith(RetryExhaustedError);
    expect(() => expect(failed).not.toHaveFailedWith(/429/)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to fail with an error whose message matches /429/
      the body threw ServiceError: service "api" call #5 failed with HTTP 429: Rate limit exceeded (fault: rateLimit) (run ended at +900ms)
      trace excerpt:
           +0.850s  #25    fault.injected       api            call=5 effect=status errorType=rate_limit_error fault=rateLimit retryAfterMs=10000 status=429
           +0.900s  #26    service.end          api            call=5 fault=rateLimit latency=50 outcome=error status=429
           +0.900s  #27    sim.end                             error=ServiceError: service "api" call #5 failed with HTTP 429: Rate limit exceeded (fault: rateLimit)…
      seed 6 — rerun: FAULTLINE_SEED=6 npx vitest run test/matchers/run-matchers.test.ts]
    `);
  });

  it('returns the message or the class name as actual / expected for the diff', () => {
    try {
      expect(exhausted).toHaveFailedWith(ServiceError);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ actual: 'RetryExhaustedError', expected: 'ServiceError' });
    }
  });
});

describe('toHaveCompletedWithin', () => {
  it('passes when the body returned within the virtual duration', () => {
    expect(ok).toHaveCompletedWithin('60ms');
    expect(ok).toHaveCompletedWithin(1000);
  });

  it('fails with when the run ended, or that it did not complete', () => {
    expect(() => expect(ok).toHaveCompletedWithin('59ms')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to complete within 59ms of virtual time
      the body returned; the run ended at +60ms
      trace excerpt:
           +0.060s  #20    breaker.success      db             phase=0 state=closed
           +0.060s  #21    retry.success        db             attempts=1 call=3
           +0.060s  #22    sim.end                             outcome=ok pendingTasks=0 pendingTimers=0 steps=3
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/run-matchers.test.ts]
    `);
    expect(() => expect(stopped).toHaveCompletedWithin('1h')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to complete within 1h00m0s of virtual time
      the run was stopped by \`until\` at +10s before the body settled
      trace excerpt:
           +0.000s  #0     sim.start                           seed=7 until=10000
          +10.000s  #1     sim.end                             outcome=stopped pendingTasks=0 pendingTimers=1 steps=0
      seed 7 — rerun: FAULTLINE_SEED=7 npx vitest run test/matchers/run-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(ok).not.toHaveCompletedWithin('10ms');
    expect(failed).not.toHaveCompletedWithin('1h');
    expect(() => expect(ok).not.toHaveCompletedWithin('1s')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to complete within 1s of virtual time
      the body returned; the run ended at +60ms
      trace excerpt:
           +0.060s  #20    breaker.success      db             phase=0 state=closed
           +0.060s  #21    retry.success        db             attempts=1 call=3
           +0.060s  #22    sim.end                             outcome=ok pendingTasks=0 pendingTimers=0 steps=3
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/run-matchers.test.ts]
    `);
  });
});

describe('toBeDeterministic', () => {
  it('reruns the scenario with the same seed and passes on the same hash', async () => {
    await expect(ok).toBeDeterministic();
    await expect(failed).toBeDeterministic();
  });

  it('fails with the first divergent event when the scenario reads state outside the run', async () => {
    let runs = 0;
    const leaky = await simulate({ seed: 9 }, async (sim) => {
      runs++;
      await sim.sleep(runs * 1000);
      sim.emit('woke', { runs });
    });
    await expect(expect(leaky).toBeDeterministic()).rejects.toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to be deterministic (a rerun with seed 9 gives the same trace)
      the rerun diverged at event #1 (3 vs 3 events):
        run 1: {"data":{"runs":1},"kind":"woke","seq":1,"t":1000}
        run 2: {"data":{"runs":2},"kind":"woke","seq":1,"t":2000}
      something in the scenario reads real time, unseeded randomness or real I/O, or depends on state left by the first run
      trace excerpt:
           +0.000s  #0     sim.start                           seed=9
           +1.000s  #1     woke                                runs=1
      seed 9 — rerun: FAULTLINE_SEED=9 npx vitest run test/matchers/run-matchers.test.ts -t 'fails with the first divergent event when the scenario reads state outside the run']
    `);
    await expect(leaky).not.toBeDeterministic();
  });

  it('.not fails on a deterministic run', async () => {
    await expect(expect(ok).not.toBeDeterministic()).rejects.toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to be deterministic (a rerun with seed 4 gives the same trace)
      both runs gave the same 23 events (same trace hash)
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/run-matchers.test.ts]
    `);
  });

  it('throws for a result that cannot be rerun (a copy)', async () => {
    await expect(expect({ ...ok }).toBeDeterministic()).rejects.toThrow(/cannot be rerun/);
  });
});

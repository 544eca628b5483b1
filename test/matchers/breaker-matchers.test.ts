import 'faultline/vitest';
import type { SimulationResult } from 'faultline';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthy, outage, run } from './scenarios.js';

let tripped: SimulationResult;
let calm: SimulationResult;
beforeAll(async () => {
  tripped = await run(3, outage);
  calm = await run(4, healthy);
});

describe('toHaveTrippedBreaker', () => {
  it('passes when the breaker opened, counting every opening with { times }', () => {
    expect(tripped).toHaveTrippedBreaker('llm');
    expect(tripped).toHaveTrippedBreaker();
    expect(tripped).toHaveTrippedBreaker('llm', { times: 2 });
    expect(tripped).toHaveTrippedBreaker(expect.stringMatching(/^ll/), { times: expect.any(Number) });
  });

  it('fails with the transitions, their virtual times and the seed', () => {
    expect(() => expect(calm).toHaveTrippedBreaker('db')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'db' to trip (open) at least once
      breaker 'db' stayed closed (3 calls admitted, 0 failures, 0 rejected)
      trace excerpt:
        … 1 earlier event
           +0.000s  #5     breaker.admitted     db             phase=0 state=closed
           +0.020s  #8     breaker.success      db             phase=0 state=closed
           +0.020s  #11    breaker.admitted     db             phase=0 state=closed
           +0.040s  #14    breaker.success      db             phase=0 state=closed
           +0.040s  #17    breaker.admitted     db             phase=0 state=closed
           +0.060s  #20    breaker.success      db             phase=0 state=closed
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
    expect(() =>
      expect(tripped).toHaveTrippedBreaker('llm', { times: 1 }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'llm' to trip (open) once
      breaker 'llm' opened 2 times
      breaker 'llm' (10 calls admitted, 4 failures, 9 rejected):
        +3.306s    closed → open (failure-threshold)
        +8.306s    open → half-open (timeout)
        +8.406s    half-open → open (probe-failure)
        +13.406s   open → half-open (timeout)
        +13.561s   half-open → closed (probe-successes)
      trace excerpt:
           +3.206s  #33    breaker.admitted     llm            phase=0 state=closed
           +3.306s  #37    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #4 failed with HTTP 503: Service Unavaila…
           +3.306s  #38    breaker.state        llm            from=closed reason=failure-threshold to=open
        …
           +6.306s  #50    breaker.rejected     llm            state=open
           +7.306s  #54    breaker.rejected     llm            state=open
           +8.306s  #57    breaker.state        llm            from=open reason=timeout to=half-open
           +8.306s  #59    breaker.admitted     llm            phase=2 probe=1 state=half-open
           +8.406s  #63    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #5 failed with HTTP 503: Service Unavaila…
           +8.406s  #64    breaker.state        llm            from=half-open reason=probe-failure to=open
        … 2 more
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });

  it('names the breakers it knows when the name matches none', () => {
    expect(() => expect(tripped).toHaveTrippedBreaker('lm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'lm' to trip (open) at least once
      no breaker named 'lm' in this run (breakers: 'llm'); did you mean 'llm'?
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });

  it('.not passes when it stayed closed and fails when it opened', () => {
    expect(calm).not.toHaveTrippedBreaker('db');
    expect(calm).not.toHaveTrippedBreaker();
    expect(tripped).not.toHaveTrippedBreaker('llm', { times: 3 });
    expect(() => expect(tripped).not.toHaveTrippedBreaker('llm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'llm' not to trip (open) at least once
      breaker 'llm' opened 2 times
      breaker 'llm' (10 calls admitted, 4 failures, 9 rejected):
        +3.306s    closed → open (failure-threshold)
        +8.306s    open → half-open (timeout)
        +8.406s    half-open → open (probe-failure)
        +13.406s   open → half-open (timeout)
        +13.561s   half-open → closed (probe-successes)
      trace excerpt:
           +3.206s  #33    breaker.admitted     llm            phase=0 state=closed
           +3.306s  #37    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #4 failed with HTTP 503: Service Unavaila…
           +3.306s  #38    breaker.state        llm            from=closed reason=failure-threshold to=open
        …
           +6.306s  #50    breaker.rejected     llm            state=open
           +7.306s  #54    breaker.rejected     llm            state=open
           +8.306s  #57    breaker.state        llm            from=open reason=timeout to=half-open
           +8.306s  #59    breaker.admitted     llm            phase=2 probe=1 state=half-open
           +8.406s  #63    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #5 failed with HTTP 503: Service Unavaila…
           +8.406s  #64    breaker.state        llm            from=half-open reason=probe-failure to=open
        … 2 more
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });

  it('returns actual and expected counts for the diff', () => {
    try {
      expect(tripped).toHaveTrippedBreaker('llm', { times: 5 });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ actual: 2, expected: 5 });
    }
  });
});

describe('toHaveBreakerState', () => {
  it('passes on the state at the end of the run', () => {
    expect(tripped).toHaveBreakerState('llm', 'closed');
    expect(calm).toHaveBreakerState('db', expect.stringMatching(/closed/));
  });

  it('fails with the state it ended in and how it got there', () => {
    expect(() => expect(tripped).toHaveBreakerState('llm', 'open')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'llm' to end 'open'
      it ended closed
      breaker 'llm' (10 calls admitted, 4 failures, 9 rejected):
        +3.306s    closed → open (failure-threshold)
        +8.306s    open → half-open (timeout)
        +8.406s    half-open → open (probe-failure)
        +13.406s   open → half-open (timeout)
        +13.561s   half-open → closed (probe-successes)
      trace excerpt:
          +13.461s  #89    breaker.admitted     llm            phase=4 probe=1 state=half-open
          +13.561s  #92    breaker.success      llm            phase=4 state=half-open
          +13.561s  #93    breaker.state        llm            from=half-open reason=probe-successes to=closed
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(tripped).not.toHaveBreakerState('llm', 'open');
    expect(() => expect(calm).not.toHaveBreakerState('db', 'closed')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'db' not to end 'closed'
      it ended closed
      breaker 'db' stayed closed (3 calls admitted, 0 failures, 0 rejected)
      trace excerpt:
        … 1 earlier event
           +0.000s  #5     breaker.admitted     db             phase=0 state=closed
           +0.020s  #8     breaker.success      db             phase=0 state=closed
           +0.020s  #11    breaker.admitted     db             phase=0 state=closed
           +0.040s  #14    breaker.success      db             phase=0 state=closed
           +0.040s  #17    breaker.admitted     db             phase=0 state=closed
           +0.060s  #20    breaker.success      db             phase=0 state=closed
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });
});

describe('toHaveBreakerTransitions', () => {
  it('passes on the states visited in order, starting with the initial one', () => {
    expect(tripped).toHaveBreakerTransitions('llm', [
      'closed',
      'open',
      'half-open',
      'open',
      'half-open',
      'closed',
    ]);
    expect(calm).toHaveBreakerTransitions('db', ['closed']);
    expect(tripped).toHaveBreakerTransitions('llm', expect.arrayContaining(['half-open']));
    expect(tripped).toHaveBreakerTransitions('llm', [
      'closed',
      'open',
      expect.any(String),
      'open',
      'half-open',
      'closed',
    ]);
  });

  it('fails with the states it went through and returns both lists for the diff', () => {
    expect(() =>
      expect(tripped).toHaveBreakerTransitions('llm', ['closed', 'open', 'half-open', 'closed']),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'llm' to go through 'closed' → 'open' → 'half-open' → 'closed'
      it went through 'closed' → 'open' → 'half-open' → 'open' → 'half-open' → 'closed'
      breaker 'llm' (10 calls admitted, 4 failures, 9 rejected):
        +3.306s    closed → open (failure-threshold)
        +8.306s    open → half-open (timeout)
        +8.406s    half-open → open (probe-failure)
        +13.406s   open → half-open (timeout)
        +13.561s   half-open → closed (probe-successes)
      trace excerpt:
           +3.206s  #33    breaker.admitted     llm            phase=0 state=closed
           +3.306s  #37    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #4 failed with HTTP 503: Service Unavaila…
           +3.306s  #38    breaker.state        llm            from=closed reason=failure-threshold to=open
        …
           +6.306s  #50    breaker.rejected     llm            state=open
           +7.306s  #54    breaker.rejected     llm            state=open
           +8.306s  #57    breaker.state        llm            from=open reason=timeout to=half-open
           +8.306s  #59    breaker.admitted     llm            phase=2 probe=1 state=half-open
           +8.406s  #63    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #5 failed with HTTP 503: Service Unavaila…
           +8.406s  #64    breaker.state        llm            from=half-open reason=probe-failure to=open
        … 2 more
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
    try {
      expect(tripped).toHaveBreakerTransitions('llm', ['closed', 'open']);
      expect.unreachable();
    } catch (error) {
      expect((error as { actual: string }).actual).toContain('half-open');
    }
  });

  it('.not', () => {
    expect(tripped).not.toHaveBreakerTransitions('llm', ['closed']);
    expect(() =>
      expect(calm).not.toHaveBreakerTransitions('db', ['closed']),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'db' not to go through 'closed'
      it went through 'closed'
      breaker 'db' stayed closed (3 calls admitted, 0 failures, 0 rejected)
      trace excerpt:
        … 1 earlier event
           +0.000s  #5     breaker.admitted     db             phase=0 state=closed
           +0.020s  #8     breaker.success      db             phase=0 state=closed
           +0.020s  #11    breaker.admitted     db             phase=0 state=closed
           +0.040s  #14    breaker.success      db             phase=0 state=closed
           +0.040s  #17    breaker.admitted     db             phase=0 state=closed
           +0.060s  #20    breaker.success      db             phase=0 state=closed
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });
});

describe('toHaveRejectedCalls', () => {
  it('passes when the breaker refused calls, at least once or exactly times', () => {
    expect(tripped).toHaveRejectedCalls('llm');
    expect(tripped).toHaveRejectedCalls('llm', 9);
    expect(tripped).toHaveRejectedCalls('llm', expect.any(Number));
  });

  it('fails with when it rejected and the seed', () => {
    expect(() => expect(tripped).toHaveRejectedCalls('llm', 3)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected 'llm' to reject calls 3 times
      'llm' rejected 9 calls: +4.306s (open), +5.306s (open), +6.306s (open), +7.306s (open), +8.461s (open), +9.461s (open), … and 3 more
      trace excerpt:
           +3.306s  #37    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #4 failed with HTTP 503: Service Unavaila…
           +3.306s  #38    breaker.state        llm            from=closed reason=failure-threshold to=open
           +4.306s  #42    breaker.rejected     llm            state=open
           +5.306s  #46    breaker.rejected     llm            state=open
           +6.306s  #50    breaker.rejected     llm            state=open
           +7.306s  #54    breaker.rejected     llm            state=open
        …
           +8.406s  #63    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #5 failed with HTTP 503: Service Unavaila…
           +8.406s  #64    breaker.state        llm            from=half-open reason=probe-failure to=open
           +8.461s  #68    breaker.rejected     llm            state=open
        … 4 more
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
    expect(() => expect(calm).toHaveRejectedCalls('db')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected 'db' to reject calls at least once
      'db' rejected 0 calls
      trace excerpt:
        … 1 earlier event
           +0.000s  #5     breaker.admitted     db             phase=0 state=closed
           +0.020s  #8     breaker.success      db             phase=0 state=closed
           +0.020s  #11    breaker.admitted     db             phase=0 state=closed
           +0.040s  #14    breaker.success      db             phase=0 state=closed
           +0.040s  #17    breaker.admitted     db             phase=0 state=closed
           +0.060s  #20    breaker.success      db             phase=0 state=closed
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(calm).not.toHaveRejectedCalls('db');
    expect(() => expect(tripped).not.toHaveRejectedCalls('llm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected 'llm' not to reject calls at least once
      'llm' rejected 9 calls: +4.306s (open), +5.306s (open), +6.306s (open), +7.306s (open), +8.461s (open), +9.461s (open), … and 3 more
      trace excerpt:
           +3.306s  #37    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #4 failed with HTTP 503: Service Unavaila…
           +3.306s  #38    breaker.state        llm            from=closed reason=failure-threshold to=open
           +4.306s  #42    breaker.rejected     llm            state=open
           +5.306s  #46    breaker.rejected     llm            state=open
           +6.306s  #50    breaker.rejected     llm            state=open
           +7.306s  #54    breaker.rejected     llm            state=open
        …
           +8.406s  #63    breaker.failure      llm            consecutiveFailures=3 error=ServiceError: service "llm" call #5 failed with HTTP 503: Service Unavaila…
           +8.406s  #64    breaker.state        llm            from=half-open reason=probe-failure to=open
           +8.461s  #68    breaker.rejected     llm            state=open
        … 4 more
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/breaker-matchers.test.ts]
    `);
  });
});

import 'faultline/vitest';
import { ConfigError, type SimulationResult } from 'faultline';
import { invariants } from 'faultline/property';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthy, outage, run } from './scenarios.js';

let stormy: SimulationResult;
let calm: SimulationResult;
beforeAll(async () => {
  stormy = await run(3, outage);
  calm = await run(4, healthy);
});

describe('toSatisfyInvariants', () => {
  it('passes when every applicable invariant holds (none given) or every given one does', () => {
    expect(stormy).toSatisfyInvariants();
    expect(calm).toSatisfyInvariants(invariants.breaker(), invariants.retry(), invariants.accounting());
  });

  it('fails with each violation, where it broke, and the seed', () => {
    expect(() =>
      expect(stormy).toSatisfyInvariants(
        invariants.breaker(),
        invariants.noRetryStorm({ maxAmplification: 1 }),
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to satisfy breaker, noRetryStorm
      1 violation:
      invariant "noRetryStorm" violated: 19 attempts for 16 request(s) over the run: amplification 1.19 > maxAmplification 1
        expected: <= 1   actual: 1.1875
        at event #107 (retry.attempt by "llm"), virtual time 16761.11549625639 ms
      trace excerpt:
          +15.761s  #105   breaker.success      llm            phase=5 state=closed
          +15.761s  #106   retry.success        llm            attempts=1 call=15
          +16.761s  #107   retry.attempt        llm            attempt=1 call=16
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/invariant-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(() => expect(calm).not.toSatisfyInvariants()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to satisfy every applicable invariant
      every invariant held (breaker, retry, timeout, accounting, liveness.breakerRecloses, bulkhead, rateLimiter, loadBalancer, hedge) over 23 events
      trace excerpt:
        … 17 earlier events
           +0.040s  #17    breaker.admitted     db             phase=0 state=closed
           +0.040s  #18    service.call         db             call=2
           +0.060s  #19    service.end          db             call=2 latency=20 outcome=ok
           +0.060s  #20    breaker.success      db             phase=0 state=closed
           +0.060s  #21    retry.success        db             attempts=1 call=3
           +0.060s  #22    sim.end                             outcome=ok pendingTasks=0 pendingTimers=0 steps=3
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/invariant-matchers.test.ts]
    `);
    expect(stormy).not.toSatisfyInvariants(invariants.noRetryStorm({ maxAmplification: 1 }));
  });

  it('throws on something that is not an invariant', () => {
    expect(() => expect(calm).toSatisfyInvariants({ name: 'x' } as never)).toThrow(ConfigError);
  });
});

describe('toHaveNoRetryStorm', () => {
  it('passes when attempts ÷ requests stays within maxAmplification', () => {
    expect(stormy).toHaveNoRetryStorm({ maxAmplification: 2 });
    expect(calm).toHaveNoRetryStorm({ maxAmplification: 1 });
  });

  it('fails with the amplification it measured and the seed', () => {
    expect(() =>
      expect(stormy).toHaveNoRetryStorm({ maxAmplification: 1 }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to have no retry storm (amplification <= 1)
      1 violation:
      invariant "noRetryStorm" violated: 19 attempts for 16 request(s) over the run: amplification 1.19 > maxAmplification 1
        expected: <= 1   actual: 1.1875
        at event #107 (retry.attempt by "llm"), virtual time 16761.11549625639 ms
      trace excerpt:
          +15.761s  #105   breaker.success      llm            phase=5 state=closed
          +15.761s  #106   retry.success        llm            attempts=1 call=15
          +16.761s  #107   retry.attempt        llm            attempt=1 call=16
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/invariant-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(stormy).not.toHaveNoRetryStorm({ maxAmplification: 1 });
    expect(() =>
      expect(calm).not.toHaveNoRetryStorm({ maxAmplification: 1 }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to have no retry storm (amplification <= 1)
      every invariant held (noRetryStorm) over 23 events
      trace excerpt:
        … 17 earlier events
           +0.040s  #17    breaker.admitted     db             phase=0 state=closed
           +0.040s  #18    service.call         db             call=2
           +0.060s  #19    service.end          db             call=2 latency=20 outcome=ok
           +0.060s  #20    breaker.success      db             phase=0 state=closed
           +0.060s  #21    retry.success        db             attempts=1 call=3
           +0.060s  #22    sim.end                             outcome=ok pendingTasks=0 pendingTimers=0 steps=3
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/invariant-matchers.test.ts]
    `);
  });

  it('rejects a misspelt or missing option', () => {
    expect(() => expect(stormy).toHaveNoRetryStorm({ maxAmplifcation: 1 } as never)).toThrow(ConfigError);
    expect(() => expect(stormy).toHaveNoRetryStorm(undefined as never)).toThrow(ConfigError);
  });
});

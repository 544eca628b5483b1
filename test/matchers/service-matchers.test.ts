import 'faultline/vitest';
import type { SimulationResult } from 'faultline';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthy, outage, rateLimited, run } from './scenarios.js';

let stormy: SimulationResult;
let calm: SimulationResult;
let limited: SimulationResult;
beforeAll(async () => {
  stormy = await run(3, outage);
  calm = await run(4, healthy);
  limited = await run(5, rateLimited);
});

describe('toHaveCalledService', () => {
  it('passes on calls that reached the service (not those an open breaker refused)', () => {
    expect(stormy).toHaveCalledService('llm');
    expect(stormy).toHaveCalledService('llm', 10);
    expect(calm).toHaveCalledService('db', 3);
    expect(calm).toHaveCalledService(expect.stringMatching(/^d/), expect.any(Number));
  });

  it('fails with the calls and their outcomes', () => {
    expect(() => expect(stormy).toHaveCalledService('llm', 16)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected service 'llm' to be called 16 times
      it received 10 calls between +0ms and +16.761s
      outcomes: ok ×6, error 503 ×4
      trace excerpt:
        … 15 earlier events
          +14.561s  #97    service.call         llm            call=7
          +14.661s  #98    service.end          llm            call=7 latency=100 outcome=ok
          +15.661s  #103   service.call         llm            call=8
          +15.761s  #104   service.end          llm            call=8 latency=100 outcome=ok
          +16.761s  #109   service.call         llm            call=9
          +16.861s  #110   service.end          llm            call=9 latency=100 outcome=ok
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/service-matchers.test.ts]
    `);
    expect(() => expect(calm).toHaveCalledService('llm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected service 'llm' to be called at least once
      no service named 'llm' in this run (services: 'db')
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/service-matchers.test.ts]
    `);
  });

  it('.not', () => {
    // 'llm' is not a service of this run: .not does not pass on it (it used to, vacuously)
    expect(() => expect(calm).not.toHaveCalledService('llm')).toThrow(/no service named 'llm' in this run/);
    expect(calm).not.toHaveCalledService('db', 4);
    expect(() => expect(calm).not.toHaveCalledService('db')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected service 'db' not to be called at least once
      it received 3 calls between +0ms and +40ms
      outcomes: ok ×3
      trace excerpt:
        … 1 earlier event
           +0.000s  #6     service.call         db             call=0
           +0.020s  #7     service.end          db             call=0 latency=20 outcome=ok
           +0.020s  #12    service.call         db             call=1
           +0.040s  #13    service.end          db             call=1 latency=20 outcome=ok
           +0.040s  #18    service.call         db             call=2
           +0.060s  #19    service.end          db             call=2 latency=20 outcome=ok
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/service-matchers.test.ts]
    `);
  });
});

describe('toHaveInjectedFault', () => {
  it('passes on faults injected, by the faults.* name', () => {
    expect(stormy).toHaveInjectedFault('outage');
    expect(stormy).toHaveInjectedFault('outage', 4);
    expect(limited).toHaveInjectedFault('rateLimit', 1);
    expect(limited).toHaveInjectedFault(expect.stringMatching(/rate/), expect.any(Number));
  });

  it('fails with the faults that were injected', () => {
    expect(() => expect(stormy).toHaveInjectedFault('rateLimit')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected fault 'rateLimit' to be injected at least once
      'rateLimit' was never injected
      faults injected in the run: outage on 'llm' ×4
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/service-matchers.test.ts]
    `);
    expect(() => expect(calm).toHaveInjectedFault('outage')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected fault 'outage' to be injected at least once
      'outage' was never injected
      no fault was injected in the run
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/service-matchers.test.ts]
    `);
    expect(() => expect(stormy).toHaveInjectedFault('outage', 2)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected fault 'outage' to be injected 2 times
      'outage' was injected 4 times, from +2.2s to +8.306s
      faults injected in the run: outage on 'llm' ×4
      trace excerpt:
           +2.200s  #19    fault.injected       llm            call=2 effect=status errorType=api_error fault=outage status=503
           +2.709s  #27    fault.injected       llm            call=3 effect=status errorType=api_error fault=outage status=503
           +3.206s  #35    fault.injected       llm            call=4 effect=status errorType=api_error fault=outage status=503
           +8.306s  #61    fault.injected       llm            call=5 effect=status errorType=api_error fault=outage status=503
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/service-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(calm).not.toHaveInjectedFault('outage');
    expect(() => expect(stormy).not.toHaveInjectedFault('outage')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected fault 'outage' not to be injected at least once
      'outage' was injected 4 times, from +2.2s to +8.306s
      faults injected in the run: outage on 'llm' ×4
      trace excerpt:
           +2.200s  #19    fault.injected       llm            call=2 effect=status errorType=api_error fault=outage status=503
           +2.709s  #27    fault.injected       llm            call=3 effect=status errorType=api_error fault=outage status=503
           +3.206s  #35    fault.injected       llm            call=4 effect=status errorType=api_error fault=outage status=503
           +8.306s  #61    fault.injected       llm            call=5 effect=status errorType=api_error fault=outage status=503
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/service-matchers.test.ts]
    `);
  });
});

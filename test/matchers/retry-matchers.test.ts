import 'faultline/vitest';
import type { SimulationResult } from 'faultline';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthy, outage, rateLimited, rateLimitIgnored, run } from './scenarios.js';

let stormy: SimulationResult;
let calm: SimulationResult;
let honored: SimulationResult;
let ignored: SimulationResult;
beforeAll(async () => {
  stormy = await run(3, outage);
  calm = await run(4, healthy);
  honored = await run(5, rateLimited);
  ignored = await run(6, rateLimitIgnored);
});

describe('toHaveRetried', () => {
  it('passes on retries made (attempts after the first): at least once, exactly, within bounds, by name', () => {
    expect(stormy).toHaveRetried();
    expect(stormy).toHaveRetried(3);
    expect(stormy).toHaveRetried(3, { name: 'llm' });
    expect(stormy).toHaveRetried({ min: 1, max: 3 });
    expect(stormy).toHaveRetried({ min: 3 });
    expect(stormy).toHaveRetried(expect.any(Number), { name: expect.stringMatching(/l+m/) });
    expect(honored).toHaveRetried(1, { name: 'api' });
  });

  it('fails with the attempts and their delays', () => {
    expect(() => expect(stormy).toHaveRetried(5, { name: 'llm' })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected retry 'llm' to retry 5 times
      3 retries over 16 calls:
        +2.3s 'llm' attempt 2 after 409.263ms (server-error 503)
        +2.809s 'llm' attempt 3 after 396.854ms (server-error 503)
        +8.406s 'llm' attempt 2 after 54.998ms (server-error 503)
      gave up 10 times: max-retries ×1, permanent ×9
      trace excerpt:
           +2.200s  #16    retry.attempt        llm            attempt=1 call=3
           +2.300s  #22    retry.failed         llm            attempt=1 call=3 class=transient error=ServiceError: service "llm" call #2 failed with HTTP 503: Servi…
           +2.300s  #23    retry.scheduled      llm            attempt=2 backoff=409.263 call=3 delay=409.263 reason=server-error status=503
           +2.709s  #24    retry.attempt        llm            attempt=2 call=3
           +2.809s  #30    retry.failed         llm            attempt=2 call=3 class=transient error=ServiceError: service "llm" call #3 failed with HTTP 503: Servi…
           +2.809s  #31    retry.scheduled      llm            attempt=3 backoff=396.854 call=3 delay=396.854 reason=server-error status=503
        …
           +8.306s  #58    retry.attempt        llm            attempt=1 call=8
           +8.406s  #65    retry.failed         llm            attempt=1 call=8 class=transient error=ServiceError: service "llm" call #5 failed with HTTP 503: Servi…
           +8.406s  #66    retry.scheduled      llm            attempt=2 backoff=54.998 call=8 delay=54.998 reason=server-error status=503
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
    expect(() => expect(calm).toHaveRetried({ min: 1 })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the retry policies to retry at least once
      0 retries over 3 calls
      trace excerpt:
        … 1 earlier event
           +0.000s  #4     retry.attempt        db             attempt=1 call=1
           +0.020s  #9     retry.success        db             attempts=1 call=1
           +0.020s  #10    retry.attempt        db             attempt=1 call=2
           +0.040s  #15    retry.success        db             attempts=1 call=2
           +0.040s  #16    retry.attempt        db             attempt=1 call=3
           +0.060s  #21    retry.success        db             attempts=1 call=3
      seed 4 — rerun: FAULTLINE_SEED=4 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
    expect(() => expect(stormy).toHaveRetried({ max: 2 })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the retry policies to retry at most 2 times
      3 retries over 16 calls:
        +2.3s 'llm' attempt 2 after 409.263ms (server-error 503)
        +2.809s 'llm' attempt 3 after 396.854ms (server-error 503)
        +8.406s 'llm' attempt 2 after 54.998ms (server-error 503)
      gave up 10 times: max-retries ×1, permanent ×9
      trace excerpt:
           +2.200s  #16    retry.attempt        llm            attempt=1 call=3
           +2.300s  #22    retry.failed         llm            attempt=1 call=3 class=transient error=ServiceError: service "llm" call #2 failed with HTTP 503: Servi…
           +2.300s  #23    retry.scheduled      llm            attempt=2 backoff=409.263 call=3 delay=409.263 reason=server-error status=503
           +2.709s  #24    retry.attempt        llm            attempt=2 call=3
           +2.809s  #30    retry.failed         llm            attempt=2 call=3 class=transient error=ServiceError: service "llm" call #3 failed with HTTP 503: Servi…
           +2.809s  #31    retry.scheduled      llm            attempt=3 backoff=396.854 call=3 delay=396.854 reason=server-error status=503
        …
           +8.306s  #58    retry.attempt        llm            attempt=1 call=8
           +8.406s  #65    retry.failed         llm            attempt=1 call=8 class=transient error=ServiceError: service "llm" call #5 failed with HTTP 503: Servi…
           +8.406s  #66    retry.scheduled      llm            attempt=2 backoff=54.998 call=8 delay=54.998 reason=server-error status=503
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
  });

  it('names the policies it knows when the name matches none', () => {
    expect(() => expect(stormy).toHaveRetried(1, { name: 'lm' })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected retry 'lm' to retry once
      no retry policy named 'lm' in this run (retry policies: 'llm'); did you mean 'llm'?
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(calm).not.toHaveRetried();
    expect(stormy).not.toHaveRetried(4);
    expect(stormy).not.toHaveRetried({ max: 1 });
    expect(() => expect(stormy).not.toHaveRetried()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the retry policies not to retry at least once
      3 retries over 16 calls:
        +2.3s 'llm' attempt 2 after 409.263ms (server-error 503)
        +2.809s 'llm' attempt 3 after 396.854ms (server-error 503)
        +8.406s 'llm' attempt 2 after 54.998ms (server-error 503)
      gave up 10 times: max-retries ×1, permanent ×9
      trace excerpt:
           +2.200s  #16    retry.attempt        llm            attempt=1 call=3
           +2.300s  #22    retry.failed         llm            attempt=1 call=3 class=transient error=ServiceError: service "llm" call #2 failed with HTTP 503: Servi…
           +2.300s  #23    retry.scheduled      llm            attempt=2 backoff=409.263 call=3 delay=409.263 reason=server-error status=503
           +2.709s  #24    retry.attempt        llm            attempt=2 call=3
           +2.809s  #30    retry.failed         llm            attempt=2 call=3 class=transient error=ServiceError: service "llm" call #3 failed with HTTP 503: Servi…
           +2.809s  #31    retry.scheduled      llm            attempt=3 backoff=396.854 call=3 delay=396.854 reason=server-error status=503
        …
           +8.306s  #58    retry.attempt        llm            attempt=1 call=8
           +8.406s  #65    retry.failed         llm            attempt=1 call=8 class=transient error=ServiceError: service "llm" call #5 failed with HTTP 503: Servi…
           +8.406s  #66    retry.scheduled      llm            attempt=2 backoff=54.998 call=8 delay=54.998 reason=server-error status=503
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
  });

  it('returns the count as actual and expected for the diff', () => {
    try {
      expect(stormy).toHaveRetried(7);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ actual: 3, expected: 7 });
    }
  });
});

describe('toHaveHonoredRetryAfter', () => {
  it('passes when every retry after a Retry-After waited at least that long', () => {
    expect(honored).toHaveHonoredRetryAfter();
    expect(honored).toHaveHonoredRetryAfter('api');
  });

  it('fails on a retry that came sooner than the server asked, showing the delays', () => {
    expect(() => expect(ignored).toHaveHonoredRetryAfter('naive')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected retry 'naive' to honor Retry-After (wait at least as long as the server asked)
      3 of 3 retries after a Retry-After came too soon:
        +150ms 'naive' attempt 2 after 200ms (rate-limit Retry-After 10s)
        +400ms 'naive' attempt 3 after 200ms (rate-limit Retry-After 10s)
        +650ms 'naive' attempt 4 after 200ms (rate-limit Retry-After 10s)
      trace excerpt:
           +0.050s  #5     retry.attempt        naive          attempt=1 call=1
           +0.100s  #8     retry.attempt        naive          attempt=1 call=2
           +0.150s  #12    retry.scheduled      naive          attempt=2 backoff=200 call=2 delay=200 reason=rate-limit retryAfter=10000
           +0.350s  #13    retry.attempt        naive          attempt=2 call=2
           +0.400s  #17    retry.scheduled      naive          attempt=3 backoff=200 call=2 delay=200 reason=rate-limit retryAfter=10000
           +0.600s  #18    retry.attempt        naive          attempt=3 call=2
           +0.650s  #22    retry.scheduled      naive          attempt=4 backoff=200 call=2 delay=200 reason=rate-limit retryAfter=10000
      seed 6 — rerun: FAULTLINE_SEED=6 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
  });

  it('fails when no retry met a Retry-After (nothing was honored)', () => {
    expect(() => expect(stormy).toHaveHonoredRetryAfter('llm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected retry 'llm' to honor Retry-After (wait at least as long as the server asked)
      no retry met a Retry-After (3 retries scheduled)
      trace excerpt:
           +2.200s  #16    retry.attempt        llm            attempt=1 call=3
           +2.300s  #22    retry.failed         llm            attempt=1 call=3 class=transient error=ServiceError: service "llm" call #2 failed with HTTP 503: Servi…
           +2.300s  #23    retry.scheduled      llm            attempt=2 backoff=409.263 call=3 delay=409.263 reason=server-error status=503
           +2.709s  #24    retry.attempt        llm            attempt=2 call=3
           +2.809s  #30    retry.failed         llm            attempt=2 call=3 class=transient error=ServiceError: service "llm" call #3 failed with HTTP 503: Servi…
           +2.809s  #31    retry.scheduled      llm            attempt=3 backoff=396.854 call=3 delay=396.854 reason=server-error status=503
        …
           +8.306s  #58    retry.attempt        llm            attempt=1 call=8
           +8.406s  #65    retry.failed         llm            attempt=1 call=8 class=transient error=ServiceError: service "llm" call #5 failed with HTTP 503: Servi…
           +8.406s  #66    retry.scheduled      llm            attempt=2 backoff=54.998 call=8 delay=54.998 reason=server-error status=503
      seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(ignored).not.toHaveHonoredRetryAfter();
    expect(calm).not.toHaveHonoredRetryAfter();
    expect(() => expect(honored).not.toHaveHonoredRetryAfter('api')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected retry 'api' not to honor Retry-After (wait at least as long as the server asked)
      all 1 retry after a Retry-After waited at least that long:
        +150ms 'api' attempt 2 after 10s (rate-limit 429 Retry-After 10s)
      trace excerpt:
           +0.100s  #11    retry.attempt        api            attempt=1 call=3
           +0.150s  #15    retry.failed         api            attempt=1 call=3 class=rate-limited error=ServiceError: service "api" call #2 failed with HTTP 429: Ra…
           +0.150s  #16    retry.scheduled      api            attempt=2 backoff=36.987 call=3 delay=10000 reason=rate-limit retryAfter=10000 status=429
      seed 5 — rerun: FAULTLINE_SEED=5 npx vitest run test/matchers/retry-matchers.test.ts]
    `);
  });
});

/*
 * Type fixture: compiled by `tsc` (types.test.ts, against the built package as a
 * user gets it; and `npm run check`, against the sources). Every line must
 * typecheck except those marked @ts-expect-error, which must not.
 */
import 'faultline/vitest';
import { RetryExhaustedError, simulate } from 'faultline';
import { matchers } from 'faultline/matchers';
import { simTest } from 'faultline/vitest';
import { expect } from 'vitest';

export async function typed(): Promise<void> {
  const result = await simulate({ seed: 1 }, async (sim) => sim.sleep('1s'));

  expect(result).toHaveTrippedBreaker('llm');
  expect(result).toHaveTrippedBreaker();
  expect(result).toHaveTrippedBreaker('llm', { times: 2 });
  expect(result).not.toHaveTrippedBreaker(expect.stringMatching(/db/), { times: expect.any(Number) });
  expect(result).toHaveBreakerState('llm', 'half-open');
  expect(result).toHaveBreakerTransitions('llm', ['closed', 'open', 'half-open', 'closed']);
  expect(result).toHaveRejectedCalls('llm', 3);
  expect(result).toHaveRetried(3, { name: 'llm' });
  expect(result).toHaveRetried({ min: 1, max: 5 });
  expect(result).toHaveHonoredRetryAfter('llm');
  expect(result).toHaveCalledService('llm', 12);
  expect(result).toHaveInjectedFault('outage');
  expect(result).toHaveCompletedWithin('45s');
  expect(result).toHaveCompletedWithin(45_000);
  expect(result).toHaveSucceeded();
  expect(result).toHaveFailedWith(RetryExhaustedError);
  expect(result).toHaveFailedWith(/open/);
  expect(result).toHaveFallenBackTo('cache');
  await expect(result).toBeDeterministic();
  expect.extend(matchers);

  simTest('a test that is a simulation', async (sim) => sim.sleep('1s'), { seed: 7 });
  simTest.each([
    [1, 'a'],
    [2, 'b'],
  ])('row %i', (sim, n, label) => {
    sim.emit('row', { n: n + 1, label: label.toUpperCase() });
  });

  // @ts-expect-error a misspelt matcher does not exist
  expect(result).toHaveTripedBreaker('llm');
  // @ts-expect-error `times` is the option's name
  expect(result).toHaveTrippedBreaker('llm', { time: 2 });
  // @ts-expect-error not a breaker state
  expect(result).toHaveBreakerState('llm', 'opened');
  // @ts-expect-error a name is required
  expect(result).toHaveCalledService();
  // @ts-expect-error simTest options are simulate's
  simTest('x', async () => {}, { seeds: 1 });
}

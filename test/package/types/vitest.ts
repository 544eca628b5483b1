// `faultline/vitest` as a strict consumer uses it: simTest, and the matchers typed on vitest's expect.
import { RetryExhaustedError, simulate } from 'faultline';
import { simTest } from 'faultline/vitest';
import { expect } from 'vitest';

simTest(
  'a simulation as a test',
  async (sim) => {
    await sim.sleep('1s');
  },
  { seed: 7 },
);
simTest.each([
  [1, 'one'],
  [2, 'two'],
])('row %i', (sim, n, label) => {
  sim.emit('row', { n: n + 1, label: label.toUpperCase() });
});

export async function assertions(): Promise<void> {
  const result = await simulate({ seed: 1 }, async (sim) => sim.sleep('1s'));
  expect(result).toHaveTrippedBreaker('llm');
  expect(result).toHaveTrippedBreaker('llm', { times: expect.any(Number) });
  expect(result).not.toHaveBreakerState('llm', 'open');
  expect(result).toHaveBreakerTransitions('llm', ['closed', 'open', 'half-open', 'closed']);
  expect(result).toHaveRejectedCalls('llm', 2);
  expect(result).toHaveRetried({ min: 1 }, { name: 'llm' });
  expect(result).toHaveHonoredRetryAfter();
  expect(result).toHaveCalledService('llm');
  expect(result).toHaveInjectedFault('outage', 3);
  expect(result).toHaveCompletedWithin('1m');
  expect(result).toHaveSucceeded();
  expect(result).not.toHaveFailedWith(RetryExhaustedError);
  expect(result).toHaveFallenBackTo('cache');
  await expect(result).toBeDeterministic();
  // @ts-expect-error a misspelt matcher does not typecheck
  expect(result).toHaveTripedBreaker('llm');
}

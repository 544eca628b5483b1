// `faultline/vitest` from the installed tarball under the consumer's vitest: it registers the
// matchers, and simTest runs its body inside a simulation on virtual time.
import { faults, simulate } from 'faultline';
import { simTest } from 'faultline/vitest';
import { expect, it } from 'vitest';

async function outage(sim) {
  const llm = sim.service('llm', {
    latency: 100,
    faults: [faults.outage({ at: 0, for: '1m' })],
    handle: () => 'ok',
  });
  const breaker = sim.breaker('llm', { failureThreshold: 3, timeout: '10s' });
  for (let i = 0; i < 5; i++) await breaker.execute(() => llm.call({})).catch(() => {});
}

simTest(
  'simTest runs on virtual time with its seed',
  async (sim) => {
    await sim.sleep('1h');
    expect(sim.now()).toBe(3_600_000);
    expect(sim.seed).toBe(5);
  },
  { seed: 5 },
);

it('the matchers are registered and end failures with the seed', async () => {
  const result = await simulate({ seed: 3 }, outage);
  expect(result).toHaveTrippedBreaker('llm', { times: 1 });
  expect(result).toHaveRejectedCalls('llm', 2);
  expect(result).toHaveInjectedFault('outage', 3);
  expect(() => expect(result).not.toHaveTrippedBreaker('llm')).toThrow(
    /\nseed 3 — rerun: FAULTLINE_SEED=3 npx vitest run /,
  );
  await expect(result).toBeDeterministic();
});

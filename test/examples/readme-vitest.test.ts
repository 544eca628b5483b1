import { faults, type Sim, simulate } from 'faultline';
import { simTest } from 'faultline/vitest';
import { expect, it } from 'vitest';

// The LLM is down from 1m to 3m; the breaker opens, answers come from the cache meanwhile.
async function researchTeam(sim: Sim) {
  const llm = sim.service('llm', {
    latency: '800ms',
    faults: [faults.outage({ at: '1m', for: '2m' })],
    handle: (req: { prompt: string }) => `answer: ${req.prompt}`,
  });
  const breaker = sim.breaker('llm', { failureThreshold: 5, successThreshold: 2, timeout: '30s' });
  const researcher = sim.agent(
    'researcher',
    (topic: string) => breaker.execute(() => llm.call({ prompt: topic })),
    { fallback: (topic) => `cached: ${topic}` },
  );
  const load = await sim.workload.poisson({ rate: '1/s', for: '5m' }, (i) => researcher.run(`topic ${i}`));
  return { load, breaker: breaker.state };
}

simTest('every question is answered during an LLM outage', async (sim) => {
  const { load, breaker } = await researchTeam(sim);
  expect(load.failed).toBe(0);
  expect(breaker).toBe('closed');
});

it('trips the breaker, falls back, recovers — and replays from its seed', async () => {
  const result = await simulate({ seed: 42 }, researchTeam);
  expect(result).toHaveSucceeded();
  expect(result).toHaveInjectedFault('outage');
  expect(result).toHaveTrippedBreaker('llm');
  expect(result).toHaveRejectedCalls('llm');
  expect(result).toHaveFallenBackTo('researcher');
  expect(result).toHaveBreakerState('llm', 'closed');
  expect(result).toHaveCompletedWithin('6m');
  await expect(result).toBeDeterministic();
});

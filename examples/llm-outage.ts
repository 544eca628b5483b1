import { dist, faults, simulate } from 'faultline';

// 30 virtual minutes of traffic against an LLM with 5% errors and a 2-minute outage.
const result = await simulate({ seed: 42 }, async (sim) => {
  const llm = sim.service('llm', {
    latency: dist.lognormal({ median: '800ms', p99: '6s' }),
    faults: [faults.errors({ rate: 0.05, status: 503 }), faults.outage({ at: '10m', for: '2m' })],
    handle: (req: { prompt: string }) => ({ text: `answer: ${req.prompt}` }),
  });
  const breaker = sim.breaker('llm', {
    failureThreshold: 5,
    successThreshold: 3,
    timeout: '30s',
    maxConcurrentCalls: 2,
  });
  const retry = sim.retry('llm', {
    maxRetries: 3,
    baseDelay: '1s',
    maxDelay: '30s',
    backoffFactor: 2,
    jitter: 'full',
  });
  const researcher = sim.agent('researcher', (topic: string) =>
    retry.execute(() => breaker.execute(() => llm.call({ prompt: topic }))),
  );
  return sim.workload.poisson({ rate: '2/s', for: '30m' }, (i) => researcher.run(`topic ${i}`));
});

const { started, succeeded, failed, rejected } = result.unwrap(); // throws if the body failed
console.log(
  `seed ${result.seed}: ${started} requests, ${succeeded} ok, ${failed} failed, ${rejected} rejected`,
);
console.log(result.trace.format({ kinds: ['breaker.state'], limit: 6 }));

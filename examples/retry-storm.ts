/*
 * The seed's retry-storm anti-pattern: 50 agents share one rate-limited service
 * (10 calls per second) that is offered a little more than that. Retrying every
 * 429 without jitter or a budget multiplies the load the service sees; full
 * jitter plus one shared retry budget keeps the amplification (service calls per
 * request) at or under 1.2×. Prints both.
 *
 * Run: npx tsx examples/retry-storm.ts
 */
import { pathToFileURL } from 'node:url';
import { faults, type RetryOptions, retryBudget, type Sim, simulate } from 'faultline';

export interface StormSummary {
  requests: number;
  serviceCalls: number;
  succeeded: number;
  /** Service calls per request. */
  amplification: number;
}

const AGENTS = 50;

export async function retryStorm(sim: Sim, careful: boolean): Promise<StormSummary> {
  const api = sim.service('api', {
    latency: '50ms',
    faults: [faults.rateLimit({ limit: 10, per: '1s' })],
    handle: (q: string) => `ok ${q}`,
  });
  // A retry costs 10 tokens and a first-attempt success earns 1: failed retries stay under
  // ~10% of the successes (AWS's default cost of 5 gives 1.25x on this workload).
  const budget = careful ? retryBudget({ capacity: 20, retryCost: 10, successRefund: 1 }) : undefined;
  const policy: Omit<RetryOptions, 'name' | 'clock' | 'trace'> = careful
    ? { maxRetries: 5, baseDelay: '1s', maxDelay: '30s', jitter: 'full', budget }
    : { maxRetries: 5, baseDelay: '1s', maxDelay: '30s', backoffFactor: 1, jitter: 'none' };
  const agents = Array.from({ length: AGENTS }, (_, k) => {
    const retry = sim.retry(`agent-${k}`, policy);
    return sim.agent(`agent-${k}`, (q: string) =>
      retry.execute((_attempt, signal) => api.call(q, { signal })),
    );
  });
  const load = await sim.workload.poisson({ rate: '12/s', for: '5m' }, (i) =>
    agents[i % AGENTS]!.run(`q${i}`),
  );
  return {
    requests: load.started,
    serviceCalls: api.calls,
    succeeded: load.succeeded,
    amplification: api.calls / load.started,
  };
}

/** Runs both policies (seed 99) and returns the report. */
export async function retryStormExample(): Promise<string> {
  const lines: string[] = [];
  for (const careful of [false, true]) {
    const result = await simulate({ name: 'retry-storm', seed: 99 }, (sim) => retryStorm(sim, careful));
    if (result.error) throw result.error;
    const v = result.value!;
    const label = careful ? 'full jitter + retry budget' : 'no jitter, no budget';
    lines.push(
      `${label.padEnd(27)} amplification ${v.amplification.toFixed(2)}x (${v.serviceCalls} service calls for ${v.requests} requests, ${v.succeeded} succeeded)`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await retryStormExample());
}

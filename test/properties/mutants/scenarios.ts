/*
 * The two property scenarios the mutant suite runs: agents calling a faulty
 * service through an instrumented hand-written breaker, and through an
 * instrumented hand-written retry.
 */
import fc from 'fast-check';
import { instrumentBreaker } from '../../../src/adapters/instrument-breaker.js';
import { instrumentRetry } from '../../../src/adapters/instrument-retry.js';
import { arb } from '../../../src/properties/arbitraries/index.js';
import type { CheckResilienceOptions } from '../../../src/properties/check-resilience.js';
import { invariants } from '../../../src/properties/invariants/index.js';
import { type BreakerBug, HandBreaker } from './breakers.js';
import { HandRetry, type RetryBug } from './retries.js';

const breakerArbitraries = {
  config: arb.breakerConfig(),
  faults: arb.faultPlan({ horizon: '20s', kinds: ['errors', 'outage', 'latency'] }),
  load: arb.workload(),
};

export function breakerProperty(bug?: BreakerBug): CheckResilienceOptions<typeof breakerArbitraries> {
  return {
    name: `hand-written breaker${bug ? `: ${bug}` : ''}`,
    failures: false,
    arbitraries: breakerArbitraries,
    invariants: [invariants.breaker()],
    scenario: async (sim, { config, faults, load }) => {
      const svc = sim.service('svc', { latency: '50ms', faults, handle: () => 'ok' });
      const breaker = instrumentBreaker(sim, 'hand', new HandBreaker(config, () => sim.now(), bug), config);
      const agent = async () => {
        for (let i = 0; i < load.requests; i++) {
          await breaker.execute(() => svc.call(i)).catch(() => {});
          await sim.sleep(load.gapMs);
        }
      };
      await Promise.all(Array.from({ length: load.agents }, (_, a) => sim.spawn(`agent-${a}`, agent)));
    },
  };
}

const retryArbitraries = {
  config: arb.retryConfig({ maxRetriesUpTo: 40 }),
  faults: arb.faultPlan({ horizon: '10m', kinds: ['errors', 'outage', 'rateLimit'] }),
  load: arb.workload(),
  deadline: fc.integer({ min: 100, max: 120_000 }),
};

export function retryProperty(bug?: RetryBug): CheckResilienceOptions<typeof retryArbitraries> {
  return {
    name: `hand-written retry${bug ? `: ${bug}` : ''}`,
    failures: false,
    arbitraries: retryArbitraries,
    invariants: [invariants.retry()],
    scenario: async (sim, { config, faults, load, deadline }) => {
      const svc = sim.service('svc', { latency: '20ms', faults, handle: () => 'ok' });
      const random = sim.random.fork('hand-retry');
      const retry = instrumentRetry(sim, 'hand', new HandRetry(config, () => random.next(), bug), config);
      const agent = async () => {
        for (let i = 0; i < load.requests; i++) {
          await retry.execute(() => svc.call(i), AbortSignal.timeout(deadline)).catch(() => {});
          await sim.sleep(load.gapMs);
        }
      };
      await Promise.all(Array.from({ length: load.agents }, (_, a) => sim.spawn(`agent-${a}`, agent)));
    },
  };
}

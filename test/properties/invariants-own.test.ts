import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { invariants } from '../../src/properties/invariants/index.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';

/** Agents calling a flaky service through faultline's retry → breaker, then healing. */
async function run(seed: number) {
  return simulate({ seed }, async (sim) => {
    const svc = sim.service('llm', {
      latency: '100ms',
      faults: [
        faults.errors({ rate: 0.4, status: [503, 429, 400] }),
        faults.outage({ at: '5s', for: '20s' }),
      ],
      handle: () => 'ok',
    });
    const breaker = sim.breaker('llm', {
      failureThreshold: 3,
      successThreshold: 2,
      timeout: '5s',
      maxConcurrentCalls: 1,
    });
    const retry = sim.retry('llm', { maxRetries: 3, baseDelay: '200ms', maxDelay: '2s', jitter: 'equal' });
    const t = sim.timeout('llm', '1s');
    const agent = async (k: number) => {
      for (let i = 0; i < 40; i++) {
        await retry
          .execute((_, signal) => breaker.execute(() => t.execute((s) => svc.call(i, { signal: s }), signal)))
          .catch(() => {});
        await sim.sleep(300 + k * 50);
        if (sim.now() > 30_000) sim.heal();
      }
    };
    await Promise.all([0, 1, 2].map((k) => sim.spawn(`agent-${k}`, () => agent(k))));
  });
}

describe('the catalog on faultline’s own primitives', () => {
  it('breaker, retry, timeout, accounting and liveness hold over many seeds', async () => {
    for (let seed = 1; seed <= 15; seed++) {
      const result = await run(seed);
      expect(result.trace.ofKind('breaker.state').length).toBeGreaterThan(0);
      const found = invariants.all().flatMap((i) => i.check(result.trace));
      expect(found, `seed ${seed}`).toEqual([]);
    }
  });
});

// A property test of your own circuit breaker: for any configuration, fault schedule and
// load, it keeps faultline's breaker invariants. `npx vitest run examples/property-breaker.test.ts`
import { instrumentBreaker } from 'faultline/adapters';
import { arb, checkResilience, invariants } from 'faultline/property';
import { it } from 'vitest';
import { HandBreaker } from '../test/properties/mutants/breakers.js';

it('my breaker keeps the breaker invariants', async () => {
  await checkResilience({
    arbitraries: {
      config: arb.breakerConfig(),
      faults: arb.faultPlan({ horizon: '20s' }),
      load: arb.workload(),
    },
    scenario: async (sim, { config, faults, load }) => {
      const llm = sim.service('llm', { latency: '50ms', faults, handle: () => 'ok' });
      const mine = new HandBreaker(config, () => sim.now()); // your breaker here
      const breaker = instrumentBreaker(sim, 'mine', mine, config);
      const agent = async () => {
        for (let i = 0; i < load.requests; i++) {
          await breaker.execute(() => llm.call(i)).catch(() => {});
          await sim.sleep(load.gapMs);
        }
      };
      await Promise.all(Array.from({ length: load.agents }, (_, a) => sim.spawn(`agent-${a}`, agent)));
    },
    invariants: [invariants.breaker()],
    failures: false,
  });
});

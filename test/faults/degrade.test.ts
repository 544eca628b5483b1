import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../src/index.js';
import { createService } from '../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const ctx = (sim: Sim, name: string) => ({
  clock: sim.clock,
  random: sim.rootRandom.fork(`service:${name}`),
  trace: sim.trace,
});

describe('faults.degrade', () => {
  it('ramps added latency linearly from `from` at `at` to `to` at `at + over`, then stays', async () => {
    const result = await run(1, async (sim) => {
      const s = createService(ctx(sim, 's'), 's', {
        faults: [faults.degrade({ from: '100ms', to: '1100ms', over: '10s', at: '5s' })],
        handle: () => 'ok',
      });
      const latencies: number[] = [];
      for (const t of [0, 5_000, 7_500, 10_000, 15_000, 40_000]) {
        await sim.sleep(t - sim.now());
        await s.call(null);
        latencies.push(sim.now() - t);
      }
      return latencies;
    });
    expect(result.value).toEqual([100, 100, 350, 600, 1100, 1100]);
  });

  it('ramps an error rate from 0 to 1 when a status is given', async () => {
    const result = await run(2, async (sim) => {
      const s = createService(ctx(sim, 's'), 's', {
        faults: [faults.degrade({ from: 0, to: 1, over: '10s', status: 503 })],
        handle: () => 'ok',
      });
      const failuresAt = async (t: number, n: number) => {
        await sim.sleep(t - sim.now());
        let failed = 0;
        for (let i = 0; i < n; i++) await s.call(null).catch(() => failed++);
        return failed;
      };
      return {
        start: await failuresAt(0, 100),
        middle: await failuresAt(5_000, 400),
        end: await failuresAt(10_000, 100),
        after: await failuresAt(60_000, 100),
      };
    });
    const { start, middle, end, after } = result.value!;
    expect(start).toBe(0);
    expect(middle).toBeGreaterThan(160);
    expect(middle).toBeLessThan(240);
    expect(end).toBe(100);
    expect(after).toBe(100);
  });
});

import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { dist, type Sim, type SimulationResult, simulate } from '../../src/index.js';
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

describe('faults.latency', () => {
  it('adds to the service latency, and several latency faults add up', async () => {
    const result = await run(1, async (sim) => {
      const s = createService(ctx(sim, 's'), 's', {
        latency: '100ms',
        faults: [faults.latency('250ms'), faults.latency(50)],
        handle: () => sim.now(),
      });
      return s.call(null);
    });
    expect(result.value).toBe(400);
    expect(result.trace.ofKind('fault.injected').map((e) => e.data?.delayMs)).toEqual([250, 50]);
  });

  it('samples a distribution from the fault stream: same seed, same delays', async () => {
    const body = async (sim: Sim) => {
      const s = createService(ctx(sim, 's'), 's', {
        faults: [faults.latency(dist.lognormal({ median: '300ms', p99: '4s' }))],
        handle: () => sim.now(),
      });
      const ends: number[] = [];
      for (let i = 0; i < 20; i++) ends.push((await s.call(null)) as number);
      return ends;
    };
    const a = await run(4, body);
    const b = await run(4, body);
    const c = await run(5, body);
    expect(a.value).toEqual(b.value);
    expect(c.value).not.toEqual(a.value);
    const delays = a.trace.ofKind('fault.injected').map((e) => e.data?.delayMs as number);
    expect(delays).toHaveLength(20);
    const sorted = [...delays].sort((x, y) => x - y);
    expect(sorted[10]!).toBeGreaterThan(100);
    expect(sorted[10]!).toBeLessThan(900);
  });
});

import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../src/index.js';
import { createService } from '../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const mixOf = async (seed: number, fault = faults.swarm()) =>
  (
    await run(seed, async (sim) => {
      const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:llm'), trace: sim.trace };
      return createService(ctx, 'llm', { faults: [fault], handle: () => 'ok' }).faults[0]!;
    })
  ).value!;

describe('faults.swarm', () => {
  it('each seed enables its own mix; the same seed the same mix', async () => {
    const mixes: string[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) mixes.push(await mixOf(seed));
    expect(new Set(mixes).size).toBeGreaterThan(4);
    expect(await mixOf(3)).toBe(mixes[2]);
    for (const mix of mixes) expect(mix).toMatch(/^swarm\[.+\]$/);
  });

  it('traces the chosen mix when the service is created', async () => {
    const result = await run(5, async (sim) => {
      const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:s'), trace: sim.trace };
      return createService(ctx, 's', { faults: [faults.swarm()], handle: () => 'ok' }).faults;
    });
    expect(result.trace.ofKind('service.create')[0]!.data).toEqual({ faults: result.value });
  });

  it('enables every candidate with enable 1 and exactly one with enable 0', async () => {
    const candidates = [faults.reset({ rate: 0.1 }), faults.overloaded({ rate: 0.1 }), faults.latency('5ms')];
    expect(await mixOf(1, faults.swarm({ faults: candidates, enable: 1 }))).toBe(
      'swarm[reset(rate=0.1, code=ECONNRESET), overloaded(rate=0.1), latency(constant(5))]',
    );
    const one = await mixOf(1, faults.swarm({ faults: candidates, enable: 0 }));
    expect(one.split('), ').length).toBe(1);
  });

  it('the enabled faults act: a run with swarm differs by seed', async () => {
    const body = async (sim: Sim) => {
      const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:s'), trace: sim.trace };
      const s = createService(ctx, 's', { faults: [faults.swarm()], handle: () => 'ok' });
      let failed = 0;
      for (let i = 0; i < 300; i++) {
        await s.call(null).catch(() => failed++);
        await sim.sleep(1000);
      }
      return failed;
    };
    const a = await run(1, body);
    const b = await run(1, body);
    expect(b.trace.hash).toBe(a.trace.hash);
    const hashes = new Set<string>([a.trace.hash]);
    for (const seed of [2, 3, 4]) hashes.add((await run(seed, body)).trace.hash);
    expect(hashes.size).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { simulate } from '../../src/simulators/kernel/simulate.js';

async function run(seed: number) {
  return simulate({ seed }, async (sim) => {
    const svc = sim.service('db', {
      latency: '10ms',
      faults: [faults.errors({ rate: 1, status: 503 })],
      handle: () => 'ok',
    });
    const before = await svc.call(1).catch((e) => e.status);
    expect(sim.healed).toBe(false);
    sim.heal();
    sim.heal(); // a second heal does nothing
    const after = await svc.call(2);
    return { before, after, healed: sim.healed };
  });
}

describe('sim.heal()', () => {
  it('ends the fault phase: faults stop, the heal is traced once, and runs replay', async () => {
    const a = await run(5);
    expect(a.value).toEqual({ before: 503, after: 'ok', healed: true });
    expect(a.trace.ofKind('sim.heal')).toHaveLength(1);
    expect(a.trace.ofKind('fault.injected')).toHaveLength(1);
    const again = await run(5);
    expect(again.value).toEqual(a.value);
    expect(again.trace.hash).toBe(a.trace.hash);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors/config-error.js';
import { simulate } from '../../../src/simulators/kernel/simulate.js';

/** Eight timers due at the same virtual time; the order they fire in. */
async function order(seed: number, ties?: 'creation' | 'random') {
  const result = await simulate(ties ? { seed, ties } : { seed }, async (sim) => {
    const fired: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sim.spawn(`t${i}`, async () => {
          await sim.sleep(100);
          fired.push(i);
        }),
      ),
    );
    return fired;
  });
  return { fired: result.value!, hash: result.trace.hash };
}

describe("simulate({ ties: 'random' })", () => {
  it('default: timers due together fire in creation order', async () => {
    expect((await order(1)).fired).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await order(1, 'creation')).fired).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('random: the seed orders them, the same seed replays the same order and trace', async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) {
      const a = await order(seed, 'random');
      const b = await order(seed, 'random');
      expect(b).toEqual(a);
      expect([...a.fired].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      orders.add(a.fired.join());
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('rejects other values', async () => {
    await expect(simulate({ ties: 'shuffle' as never }, () => {})).rejects.toThrow(ConfigError);
  });
});

import { describe, expect, it } from 'vitest';
import type { ServiceError } from '../../src/errors/service-error.js';
import { type Fault, faults } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../src/index.js';
import { createService } from '../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

async function probe(fault: Fault, times: readonly number[], seed = 1): Promise<(string | number)[]> {
  const result = await run(seed, async (sim) => {
    const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:s'), trace: sim.trace };
    const s = createService(ctx, 's', { faults: [fault], handle: () => 'ok' });
    const out: (string | number)[] = [];
    for (const t of times) {
      await sim.sleep(t - sim.now());
      out.push(
        await s.call(null).then(
          () => 'ok',
          (e: ServiceError) => e.status ?? e.code,
        ),
      );
    }
    return out;
  });
  return result.value!;
}

const always503 = faults.errors({ rate: 1, status: 503 });

describe('faults.when', () => {
  it('afterCalls: active from call index afterCalls on', async () => {
    expect(await probe(faults.when({ afterCalls: 3 }, always503), [0, 0, 0, 0, 0])).toEqual([
      'ok',
      'ok',
      'ok',
      503,
      503,
    ]);
  });

  it('between: active for arrivals in [from, to)', async () => {
    const times = [0, 999, 1_000, 1_999, 2_000];
    expect(await probe(faults.when({ between: ['1s', '2s'] }, always503), times)).toEqual([
      'ok',
      'ok',
      503,
      503,
      'ok',
    ]);
  });

  it('probability: active for about that fraction, 0 never, same seed same calls', async () => {
    const times = Array.from({ length: 400 }, () => 0);
    const half = await probe(faults.when({ probability: 0.5 }, always503), times, 9);
    const again = await probe(faults.when({ probability: 0.5 }, always503), times, 9);
    const other = await probe(faults.when({ probability: 0.5 }, always503), times, 10);
    const failed = half.filter((o) => o === 503).length;
    expect(failed).toBeGreaterThan(160);
    expect(failed).toBeLessThan(240);
    expect(again).toEqual(half);
    expect(other).not.toEqual(half);
    expect(await probe(faults.when({ probability: 0 }, always503), times.slice(0, 50))).not.toContain(503);
  });

  it('combines conditions, and the inner fault counts only the calls it is active for', async () => {
    const times = [0, 0, 1_000, 1_000, 1_000, 1_000, 3_000];
    const limited = faults.when(
      { afterCalls: 1, between: ['1s', '2s'] },
      faults.rateLimit({ limit: 2, per: '1h' }),
    );
    expect(await probe(limited, times)).toEqual(['ok', 'ok', 'ok', 'ok', 429, 429, 'ok']);
  });
});

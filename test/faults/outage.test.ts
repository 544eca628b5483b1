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

/** The outcome ('ok', status or code) of one call made at each virtual time in `times`. */
async function probe(fault: Fault, times: readonly number[]): Promise<(string | number)[]> {
  const result = await run(1, async (sim) => {
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

describe('faults.outage', () => {
  it('fails calls in [at, at + for): start included, end excluded', async () => {
    const times = [0, 9_999, 10_000, 11_000, 14_999, 15_000, 60_000];
    expect(await probe(faults.outage({ at: '10s', for: '5s' }), times)).toEqual([
      'ok',
      'ok',
      503,
      503,
      503,
      'ok',
      'ok',
    ]);
  });

  it('can answer with another status or a network error', async () => {
    expect(await probe(faults.outage({ at: 100, for: 100, status: 502 }), [150])).toEqual([502]);
    expect(await probe(faults.outage({ at: 100, for: 100, error: 'connection_refused' }), [150])).toEqual([
      'ECONNREFUSED',
    ]);
  });

  it('fails after the latency without taking a concurrency slot', async () => {
    const result = await run(1, async (sim) => {
      const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:s'), trace: sim.trace };
      const s = createService(ctx, 's', {
        latency: '1s',
        concurrency: 1,
        faults: [faults.outage({ at: 0, for: '500ms' })],
        handle: () => 'ok',
      });
      const first = s.call(null).catch(() => sim.now());
      const second = s.call(null).catch(() => sim.now());
      return Promise.all([first, second]);
    });
    expect(result.value).toEqual([1000, 1000]);
  });
});

describe('faults.flapping', () => {
  it('is down for downFor at the start of every period', async () => {
    const times = [0, 9_999, 10_000, 59_999, 60_000, 69_999, 70_000, 120_000];
    expect(await probe(faults.flapping({ period: '1m', downFor: '10s' }), times)).toEqual([
      503,
      503,
      'ok',
      'ok',
      503,
      503,
      'ok',
      503,
    ]);
  });

  it('starts at `at` and is up before it', async () => {
    const times = [0, 29_999, 30_000, 34_999, 35_000, 40_000];
    expect(
      await probe(
        faults.flapping({ period: '10s', downFor: '5s', at: '30s', error: 'connection_reset' }),
        times,
      ),
    ).toEqual(['ok', 'ok', 'ECONNRESET', 'ECONNRESET', 'ok', 'ECONNRESET']);
  });
});

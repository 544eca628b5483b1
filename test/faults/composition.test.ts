import { describe, expect, it } from 'vitest';
import type { ServiceError } from '../../src/errors/service-error.js';
import { composeFaults, type Fault, faults } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, seededRandom, simulate } from '../../src/index.js';
import { createService } from '../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

function service(sim: Sim, name: string, list: readonly Fault[], handle: () => unknown = () => 'ok') {
  const ctx = { clock: sim.clock, random: sim.rootRandom.fork(`service:${name}`), trace: sim.trace };
  return createService(ctx, name, { latency: '10ms', faults: list, handle });
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok' as string | number,
    (e: ServiceError) => e.status ?? e.code,
  );

describe('fault composition and precedence', () => {
  it('a transport fault (outage) wins over a status error listed before it', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 's', [
        faults.errors({ rate: 1, status: 500 }),
        faults.outage({ at: 0, for: '1m' }),
      ]);
      return outcome(s.call(null));
    });
    expect(result.value).toBe(503);
    expect(result.trace.ofKind('fault.injected').map((e) => e.data?.fault)).toEqual(['outage']);
  });

  it('among equal stages the fault listed first wins', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 's', [faults.errors({ rate: 1, status: 502 }), faults.overloaded()]);
      const t = service(sim, 't', [faults.reset(), faults.hang()]);
      return [await outcome(s.call(null)), await outcome(t.call(null))];
    });
    expect(result.value).toEqual([502, 'ECONNRESET']);
  });

  it('latency faults add up and delay the failure too', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 's', [
        faults.latency('100ms'),
        faults.errors({ rate: 1, status: 503 }),
        faults.latency('40ms'),
      ]);
      await outcome(s.call(null));
      return sim.now();
    });
    expect(result.value).toBe(150);
  });

  it('a status error wins over a lost response: the handler does not run', async () => {
    const result = await run(1, async (sim) => {
      let handled = 0;
      const s = service(
        sim,
        's',
        [faults.responseLost({ rate: 1 }), faults.errors({ rate: 1, status: 500 })],
        () => handled++,
      );
      return { outcome: await outcome(s.call(null)), handled };
    });
    expect(result.value).toEqual({ outcome: 500, handled: 0 });
  });

  it('stream faults do nothing to calls that are not streamed', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 's', [faults.streamError({ afterChunks: 0 }), faults.stall({ afterChunks: 0 })]);
      return outcome(s.call(null));
    });
    expect(result.value).toBe('ok');
    expect(result.trace.ofKind('fault.injected')).toEqual([]);
  });

  it('composeFaults decides directly, without a service', () => {
    const plan = composeFaults(
      [
        faults.outage({ at: '1m', for: '10s' }),
        faults.latency('20ms'),
        faults.errors({ rate: 1, status: 500 }),
      ],
      seededRandom(1).fork('faults'),
    );
    const at = (now: number) =>
      plan.decide({ now, wallNow: now, callIndex: 0, request: {}, streaming: false });
    expect(at(65_000)).toMatchObject({ delayMs: 20, failure: { fault: 'outage', status: 503 } });
    expect(at(0)).toMatchObject({ delayMs: 20, failure: { fault: 'errors', status: 500 } });
    expect(plan.descriptions).toEqual([
      'outage(at=60000, for=10000, status=503)',
      'latency(constant(20))',
      'errors(rate=1, status=500)',
    ]);
  });
});

describe('determinism of fault decisions', () => {
  const decisions = (result: SimulationResult<unknown>, actor: string) =>
    result.trace
      .ofKind('fault.injected')
      .filter((e) => e.actor === actor)
      .map((e) => e.data);

  const scenario = (withSecondService: boolean, extraFault: boolean) => async (sim: Sim) => {
    const list: Fault[] = [faults.errors({ rate: 0.3, status: 503 }), faults.latency('5ms')];
    if (extraFault) list.push(faults.reset({ rate: 0.2 }));
    const a = service(sim, 'a', list);
    const b = withSecondService ? service(sim, 'b', [faults.errors({ rate: 0.5 })]) : undefined;
    for (let i = 0; i < 200; i++) {
      await outcome(a.call(i));
      if (b) await outcome(b.call(i));
    }
  };

  it('same seed, same trace hash; different seeds differ', async () => {
    const one = await run(21, scenario(false, false));
    const two = await run(21, scenario(false, false));
    const three = await run(22, scenario(false, false));
    expect(two.trace.hash).toBe(one.trace.hash);
    expect(three.trace.hash).not.toBe(one.trace.hash);
    expect(decisions(three, 'a')).not.toEqual(decisions(one, 'a'));
  });

  it("adding a second service does not change the first service's fault decisions", async () => {
    const alone = await run(21, scenario(false, false));
    const withB = await run(21, scenario(true, false));
    expect(decisions(withB, 'b').length).toBeGreaterThan(0);
    expect(decisions(withB, 'a')).toEqual(decisions(alone, 'a'));
  });

  it("appending a fault does not change the earlier faults' decisions", async () => {
    const before = await run(21, scenario(false, false));
    const after = await run(21, scenario(false, true));
    const errorsOf = (r: SimulationResult<unknown>) =>
      r.trace
        .ofKind('fault.injected')
        .filter((e) => e.data?.fault === 'errors' || e.data?.fault === 'reset')
        .map((e) => e.data?.call);
    const erroredBefore = new Set(errorsOf(before));
    const resetAfter = after.trace
      .ofKind('fault.injected')
      .filter((e) => e.data?.fault === 'reset')
      .map((e) => e.data?.call);
    // every call the errors fault failed before is still failed (by errors, or by reset which outranks it)
    expect(resetAfter.length).toBeGreaterThan(0);
    expect(erroredBefore.size).toBeGreaterThan(0);
    for (const call of erroredBefore) expect(errorsOf(after)).toContain(call);
  });
});

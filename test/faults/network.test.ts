import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors/service-error.js';
import { faults } from '../../src/faults/index.js';
import { type Sim, SimulationDeadlockError, type SimulationResult, simulate } from '../../src/index.js';
import { createService, type ServiceOptions } from '../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

function service<Req, Res>(sim: Sim, name: string, options: ServiceOptions<Req, Res>) {
  const ctx = { clock: sim.clock, random: sim.rootRandom.fork(`service:${name}`), trace: sim.trace };
  return createService(ctx, name, options);
}

describe('faults.reset', () => {
  it('fails at the network level after the latency, without calling the handler', async () => {
    const result = await run(1, async (sim) => {
      let handled = 0;
      const s = service(sim, 'db', {
        latency: '40ms',
        faults: [faults.reset()],
        handle: () => handled++,
      });
      const error = (await s.call(null).catch((e) => e)) as ServiceError;
      const refused = service(sim, 'db2', {
        faults: [faults.reset({ code: 'ECONNREFUSED' })],
        handle: () => 1,
      });
      const other = (await refused.call(null).catch((e) => e)) as ServiceError;
      return { error, at: error && sim.now(), handled, other };
    });
    const { error, handled, other } = result.value!;
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.code).toBe('ECONNRESET');
    expect(error.status).toBeUndefined();
    expect(error.fault).toBe('reset');
    expect(handled).toBe(0);
    expect(other.code).toBe('ECONNREFUSED');
    expect(result.trace.ofKind('service.end')[0]!.data).toEqual({
      call: 0,
      outcome: 'error',
      latency: 40,
      fault: 'reset',
      code: 'ECONNRESET',
    });
  });
});

describe('faults.hang', () => {
  it('never answers; an abort ends it at once with the signal reason', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'stuck', { latency: '10ms', faults: [faults.hang()], handle: () => 'ok' });
      const controller = new AbortController();
      const reason = new Error('enough');
      const pending = s.call(null, { signal: controller.signal }).catch((e) => e);
      await sim.sleep(5_000);
      controller.abort(reason);
      const error = await pending;
      return { same: error === reason, at: sim.now() };
    });
    expect(result.value).toEqual({ same: true, at: 5_000 });
    expect(result.trace.ofKind('service.end')[0]!.data).toEqual({
      call: 0,
      outcome: 'aborted',
      latency: 5_000,
    });
  });

  it('holds no timer: it does not keep virtual time busy', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'stuck', { faults: [faults.hang()], handle: () => 'ok' });
      void s.call(null).catch(() => {});
      await sim.sleep(1_000);
      return 'done';
    });
    expect(result.value).toBe('done');
    expect(result.stats.virtualTimeMs).toBe(1_000);
    expect(result.pendingTimers).toEqual([]);
  });

  it('awaited without a signal, it deadlocks the simulation', async () => {
    const error = await simulate({ seed: 1 }, async (sim) => {
      const s = service(sim, 'stuck', { faults: [faults.hang()], handle: () => 'ok' });
      await s.call(null);
    }).catch((e) => e);
    expect(error).toBeInstanceOf(SimulationDeadlockError);
  });

  it('timeout() without `after` hangs like hang()', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'stuck', { faults: [faults.timeout()], handle: () => 'ok' });
      const error = await s.call(null, { signal: AbortSignal.timeout(300) }).catch((e) => e);
      return { name: (error as Error).name, at: sim.now() };
    });
    expect(result.value).toEqual({ name: 'TimeoutError', at: 300 });
  });
});

describe('faults.timeout', () => {
  it('fails exactly `after` past the start with ETIMEDOUT, whatever the latency', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'slow', {
        latency: '2s',
        faults: [faults.timeout({ after: '30s' })],
        handle: () => 1,
      });
      const error = (await s.call(null).catch((e) => e)) as ServiceError;
      return { code: error.code, at: sim.now() };
    });
    expect(result.value).toEqual({ code: 'ETIMEDOUT', at: 30_000 });
  });

  it('answers with a status such as 504 when given', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'gw', {
        faults: [faults.timeout({ after: '5s', status: 504 })],
        handle: () => 1,
      });
      const error = (await s.call(null).catch((e) => e)) as ServiceError;
      return { status: error.status, at: sim.now() };
    });
    expect(result.value).toEqual({ status: 504, at: 5_000 });
  });
});

describe('faults.responseLost', () => {
  it('runs the handler (the work is applied) and then fails the caller', async () => {
    const result = await run(1, async (sim) => {
      const applied: number[] = [];
      const s = service(sim, 'payments', {
        latency: '20ms',
        faults: [faults.responseLost({ rate: 1 })],
        handle: (amount: number) => {
          applied.push(amount);
          return 'charged';
        },
      });
      const error = (await s.call(5).catch((e) => e)) as ServiceError;
      const gateway = service(sim, 'gw', {
        faults: [faults.responseLost({ rate: 1, status: 504 })],
        handle: (amount: number) => {
          applied.push(amount);
          return 'charged';
        },
      });
      const gatewayError = (await gateway.call(7).catch((e) => e)) as ServiceError;
      return { applied, code: error.code, status: gatewayError.status, fault: error.fault };
    });
    expect(result.value).toEqual({ applied: [5, 7], code: 'ECONNRESET', status: 504, fault: 'responseLost' });
  });

  it('loses about `rate` of the responses', async () => {
    const result = await run(3, async (sim) => {
      let applied = 0;
      const s = service(sim, 'p', { faults: [faults.responseLost({ rate: 0.2 })], handle: () => applied++ });
      let lost = 0;
      for (let i = 0; i < 500; i++) await s.call(null).catch(() => lost++);
      return { applied, lost };
    });
    expect(result.value!.applied).toBe(500);
    expect(result.value!.lost).toBeGreaterThan(70);
    expect(result.value!.lost).toBeLessThan(130);
  });
});

import { describe, expect, it } from 'vitest';
import type { ServiceError } from '../../src/errors/service-error.js';
import { faults } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../src/index.js';
import { createService, type ServiceOptions } from '../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

function service(sim: Sim, name: string, options: Omit<ServiceOptions<unknown, string>, 'handle'>) {
  const ctx = { clock: sim.clock, random: sim.rootRandom.fork(`service:${name}`), trace: sim.trace };
  return createService(ctx, name, { ...options, handle: () => 'ok' });
}

/** 'ok', the HTTP status, or the network code of each call. */
async function outcomes(s: ReturnType<typeof service>, n: number): Promise<(string | number)[]> {
  const out: (string | number)[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await s.call({}).then(
        () => 'ok',
        (e: ServiceError) => e.status ?? e.code,
      ),
    );
  }
  return out;
}

describe('faults.errors', () => {
  it('fails every call with rate 1 and never with rate 0', async () => {
    const result = await run(1, async (sim) => ({
      always: await outcomes(service(sim, 'a', { faults: [faults.errors({ rate: 1, status: 503 })] }), 5),
      never: await outcomes(service(sim, 'b', { faults: [faults.errors({ rate: 0, status: 503 })] }), 5),
    }));
    expect(result.value).toEqual({
      always: [503, 503, 503, 503, 503],
      never: ['ok', 'ok', 'ok', 'ok', 'ok'],
    });
  });

  it('fails about `rate` of the calls, the same ones for the same seed', async () => {
    const body = (sim: Sim) => outcomes(service(sim, 'a', { faults: [faults.errors({ rate: 0.3 })] }), 2000);
    const a = await run(11, body);
    const b = await run(11, body);
    const c = await run(12, body);
    const failed = a.value!.filter((o) => o !== 'ok');
    expect(failed.length / 2000).toBeGreaterThan(0.26);
    expect(failed.length / 2000).toBeLessThan(0.34);
    expect(new Set(failed)).toEqual(new Set([500]));
    expect(b.value).toEqual(a.value);
    expect(b.trace.hash).toBe(a.trace.hash);
    expect(c.value).not.toEqual(a.value);
    expect(c.trace.hash).not.toBe(a.trace.hash);
  });

  it('answers with a provider-style body, and picks from a status list', async () => {
    const result = await run(3, async (sim) => {
      const one = service(sim, 'one', { faults: [faults.errors({ rate: 1, status: 502 })] });
      const error = (await one.call({}).catch((e) => e)) as ServiceError;
      const many = service(sim, 'many', { faults: [faults.errors({ rate: 1, status: [500, 503] })] });
      return { error, statuses: await outcomes(many, 60) };
    });
    const { error, statuses } = result.value!;
    expect(error.status).toBe(502);
    expect(error.body).toEqual({ type: 'error', error: { type: 'api_error', message: 'Bad Gateway' } });
    expect(new Set(statuses)).toEqual(new Set([500, 503]));
  });

  it('accepts named failures: insufficient_quota, prompt_too_long, connection_reset', async () => {
    const result = await run(1, async (sim) => {
      const fail = async (error: any) =>
        (await service(sim, `s-${error}`, { faults: [faults.errors({ rate: 1, error })] })
          .call({})
          .catch((e) => e)) as ServiceError;
      return {
        quota: await fail('insufficient_quota'),
        long: await fail('prompt_too_long'),
        reset: await fail('connection_reset'),
      };
    });
    const { quota, long, reset } = result.value!;
    expect(quota.status).toBe(429);
    expect(quota.headers['x-should-retry']).toBe('false');
    expect(quota.body).toMatchObject({ error: { type: 'insufficient_quota' } });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(reset.status).toBeUndefined();
    expect(reset.code).toBe('ECONNRESET');
  });
});

describe('faults.overloaded', () => {
  it('answers 529 overloaded_error', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'claude', { faults: [faults.overloaded()] });
      return (await s.call({}).catch((e) => e)) as ServiceError;
    });
    expect(result.value!.status).toBe(529);
    expect(result.value!.body).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('with a rate, overloads only some calls', async () => {
    const result = await run(2, (sim) =>
      outcomes(service(sim, 'c', { faults: [faults.overloaded({ rate: 0.5 })] }), 200),
    );
    const failed = result.value!.filter((o) => o === 529).length;
    expect(failed).toBeGreaterThan(70);
    expect(failed).toBeLessThan(130);
  });
});

import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../src/errors/service-error.js';
import { faults } from '../../../src/faults/index.js';
import {
  ConfigError,
  dist,
  FaultlineError,
  type Sim,
  type SimulationResult,
  simulate,
} from '../../../src/index.js';
import { classifyError } from '../../../src/resilience/classify-error.js';
import { createService, type ServiceOptions } from '../../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

function service<Req, Res>(sim: Sim, name: string, options: ServiceOptions<Req, Res>) {
  const ctx = { clock: sim.clock, random: sim.rootRandom.fork(`service:${name}`), trace: sim.trace };
  return createService(ctx, name, options);
}

function settle(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => ({ ok: v }),
    (e) => e,
  );
}

describe('createService', () => {
  it('answers with the handler result after the latency, at an exact virtual time', async () => {
    const result = await run(1, async (sim) => {
      const seen: { callIndex: number; now: number }[] = [];
      const echo = service(sim, 'echo', {
        latency: '250ms',
        handle: (x: number, info) => {
          seen.push({ callIndex: info.callIndex, now: info.now });
          return x * 2;
        },
      });
      await sim.sleep(1000);
      const value = await echo.call(21);
      return { value, at: sim.now(), seen, calls: echo.calls };
    });
    expect(result.value).toEqual({ value: 42, at: 1250, seen: [{ callIndex: 0, now: 1250 }], calls: 1 });
    const events = result.trace.ofActor('echo').map((e) => [e.t, e.kind, e.data]);
    expect(events).toEqual([
      [0, 'service.create', { faults: [] }],
      [1000, 'service.call', { call: 0 }],
      [1250, 'service.end', { call: 0, outcome: 'ok', latency: 250 }],
    ]);
  });

  it('samples latency from a distribution on its own seeded stream', async () => {
    const body = async (sim: Sim) => {
      const s = service(sim, 'db', { latency: dist.exponential('100ms'), handle: () => sim.now() });
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push((await s.call(i)) as number);
      return times;
    };
    const a = await run(5, body);
    const b = await run(5, body);
    const c = await run(6, body);
    expect(a.value).toEqual(b.value);
    expect(a.trace.hash).toBe(b.trace.hash);
    expect(c.value).not.toEqual(a.value);
    expect(new Set(a.value!.map((t, i, all) => t - (all[i - 1] ?? 0))).size).toBe(5);
  });

  it('queues calls FIFO beyond its concurrency', async () => {
    const result = await run(1, async (sim) => {
      const order: number[] = [];
      const s = service(sim, 'pool', {
        latency: '100ms',
        concurrency: 2,
        handle: (i: number) => {
          order.push(i);
          return sim.now();
        },
      });
      const ends = await Promise.all([0, 1, 2, 3, 4].map((i) => s.call(i)));
      return { ends, order };
    });
    expect(result.value).toEqual({ ends: [100, 100, 200, 200, 300], order: [0, 1, 2, 3, 4] });
    expect(result.trace.ofKind('service.create')[0]!.data).toEqual({ faults: [], concurrency: 2 });
  });

  it('an aborted queued call leaves the queue at once and the next one moves up', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'pool', { latency: '100ms', concurrency: 1, handle: (i: number) => i });
      const controller = new AbortController();
      const first = s.call(0);
      const second = settle(s.call(1, { signal: controller.signal }));
      const third = s.call(2).then(() => sim.now());
      await sim.sleep(50);
      controller.abort(new Error('gave up'));
      const aborted = await second;
      return {
        abortedAt: sim.now(),
        aborted: (aborted as Error).message,
        first: await first,
        third: await third,
      };
    });
    expect(result.value).toEqual({ abortedAt: 50, aborted: 'gave up', first: 0, third: 200 });
    const ends = result.trace.ofKind('service.end').map((e) => [e.t, e.data?.call, e.data?.outcome]);
    expect(ends).toEqual([
      [50, 1, 'aborted'],
      [100, 0, 'ok'],
      [200, 2, 'ok'],
    ]);
  });

  it('aborts promptly during the latency, rejecting with the signal reason', async () => {
    const result = await run(1, async (sim) => {
      let handled = 0;
      const s = service(sim, 'slow', {
        latency: '10s',
        handle: () => {
          handled++;
          return 'late';
        },
      });
      const reason = new Error('caller timeout');
      const outcome = await settle(s.call(null, { signal: AbortSignal.timeout(2000) }));
      const pre = new AbortController();
      pre.abort(reason);
      const preOutcome = await settle(s.call(null, { signal: pre.signal }));
      return { at: sim.now(), name: (outcome as Error).name, same: preOutcome === reason, handled };
    });
    expect(result.value).toEqual({ at: 2000, name: 'TimeoutError', same: true, handled: 0 });
    expect(result.stats.virtualTimeMs).toBe(2000);
    expect(result.trace.ofKind('service.end').map((e) => e.data)).toEqual([
      { call: 0, outcome: 'aborted', latency: 2000 },
      { call: 1, outcome: 'aborted', latency: 0 },
    ]);
  });

  it('passes handler errors through; a thrown ServiceError keeps its status', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'h', {
        handle: (kind: string) => {
          if (kind === 'plain') throw new RangeError('bad input');
          throw new ServiceError({ service: 'h', status: 404, body: { error: 'missing' } });
        },
      });
      const plain = await settle(s.call('plain'));
      const typed = (await settle(s.call('typed'))) as ServiceError;
      return { plain: plain instanceof RangeError, status: typed.status, isService: ServiceError.is(typed) };
    });
    expect(result.value).toEqual({ plain: true, status: 404, isService: true });
    expect(result.trace.ofKind('service.end').map((e) => e.data)).toEqual([
      { call: 0, outcome: 'error', latency: 0 },
      { call: 1, outcome: 'error', status: 404, latency: 0 },
    ]);
  });

  it('traces fault.injected with the call, the fault and the effect', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'api', {
        latency: '10ms',
        faults: [faults.latency('5ms'), faults.errors({ rate: 1, status: 503 })],
        handle: () => 'ok',
      });
      return settle(s.call({}));
    });
    expect(result.trace.ofKind('fault.injected').map((e) => [e.actor, e.t, e.data])).toEqual([
      ['api', 0, { call: 0, fault: 'latency', effect: 'delay', delayMs: 5 }],
      ['api', 0, { call: 0, fault: 'errors', effect: 'status', status: 503, errorType: 'api_error' }],
    ]);
    expect(result.trace.ofKind('service.end')[0]).toMatchObject({
      t: 15,
      actor: 'api',
      data: { call: 0, outcome: 'error', status: 503, latency: 15, fault: 'errors' },
    });
  });

  it('rejects with a ServiceError shaped for retry classifiers', async () => {
    const result = await run(1, async (sim) => {
      const s = service(sim, 'api', {
        faults: [faults.rateLimit({ limit: 0, per: '1m' })],
        handle: () => 'ok',
      });
      const limited = (await settle(s.call({}))) as ServiceError;
      const r = service(sim, 'net', { faults: [faults.reset()], handle: () => 'ok' });
      const reset = (await settle(r.call({}))) as ServiceError;
      return { limited, reset, now: sim.now() };
    });
    const { limited, reset } = result.value!;
    expect(limited).toBeInstanceOf(ServiceError);
    expect(FaultlineError.is(limited)).toBe(true);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.service).toBe('api');
    expect(limited.fault).toBe('rateLimit');
    expect(classifyError(limited, 0)).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 60_000,
    });
    expect(reset.status).toBeUndefined();
    expect(reset.code).toBe('ECONNRESET');
    expect(reset.isNetworkError).toBe(true);
    expect((reset.cause as { code?: string }).code).toBe('ECONNRESET');
    expect(classifyError(reset, 0)).toMatchObject({ kind: 'transient', reason: 'network' });
    expect(ServiceError.is(new Error('x'))).toBe(false);
  });

  describe('respond (HTTP entry)', () => {
    const http = (body: unknown) => ({
      method: 'POST',
      url: 'https://api.test/v1/things',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    it('passes the parsed JSON body to handle and answers 200 JSON', async () => {
      const result = await run(1, async (sim) => {
        const s = service(sim, 'things', {
          latency: '30ms',
          handle: (req: { n: number }, info) => ({ doubled: req.n * 2, method: info.http?.method }),
        });
        return s.respond(http({ n: 4 }));
      });
      expect(result.value).toEqual({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ doubled: 8, method: 'POST' }),
      });
      expect(result.trace.ofKind('service.end')[0]!.data).toEqual({
        call: 0,
        outcome: 'ok',
        status: 200,
        latency: 30,
      });
    });

    it('turns status faults into replies and network faults into rejections', async () => {
      const result = await run(1, async (sim) => {
        const busy = service(sim, 'busy', { faults: [faults.overloaded()], handle: () => 'ok' });
        const gone = service(sim, 'gone', { faults: [faults.reset()], handle: () => 'ok' });
        const boom = service(sim, 'boom', {
          handle: () => {
            throw new Error('kaput');
          },
        });
        return {
          busy: await busy.respond(http({})),
          gone: (await settle(gone.respond(http({})))) as ServiceError,
          boom: await boom.respond(http({})),
        };
      });
      const { busy, gone, boom } = result.value!;
      expect(busy.status).toBe(529);
      expect(JSON.parse(busy.body as string)).toEqual({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      });
      expect(gone).toBeInstanceOf(ServiceError);
      expect(gone.code).toBe('ECONNRESET');
      expect(gone.status).toBeUndefined();
      expect(boom.status).toBe(500);
      expect(JSON.parse(boom.body as string).error.message).toBe('kaput');
    });
  });

  it('rejects bad options with ConfigError naming the option', async () => {
    const result = await run(1, async (sim) => {
      const attempt = (options: any) => {
        try {
          service(sim, 'bad', options);
          return 'no error';
        } catch (e) {
          return ConfigError.is(e) ? e.message : String(e);
        }
      };
      return [
        attempt({ handle: () => 1, concurrency: 0 }),
        attempt({ handle: () => 1, latency: 'soon' }),
        attempt({ handle: () => 1, faults: ['oops'] }),
        attempt({}),
      ];
    });
    expect(result.value).toEqual([
      'service("bad")({ concurrency }): got 0; expected an integer >= 1',
      expect.stringContaining('service("bad")({ latency }): got "soon"'),
      'service("bad")({ faults })[0]: got "oops"; expected a fault from the faults catalog',
      'service("bad")({ handle }): got undefined; expected a function (request, info) => result',
    ]);
  });
});

import { delay, HttpResponse, http, passthrough } from 'msw';
import { describe, expect, it } from 'vitest';
import { UnmatchedRequestError } from '../../../src/errors/unmatched-request-error.js';
import { ConfigError, type SimulationResult, seededRandom } from '../../../src/index.js';
import { GLOBAL_DISPATCHERS } from '../../../src/simulators/http/dispatcher.js';
import type { HttpTarget } from '../../../src/simulators/http/target.js';
import { installGlobals } from '../../../src/simulators/kernel/global-patch.js';
import { realFetch } from '../../../src/simulators/kernel/real-globals.js';
import { VirtualClock } from '../../../src/simulators/kernel/virtual-clock.js';
import type { Sim } from '../../../src/simulators/sim.js';
import { type RouteFn, simulateHttp } from '../../support/simulate-http.js';

async function run<T>(
  body: (sim: Sim, route: RouteFn) => Promise<T>,
  seed = 1,
): Promise<SimulationResult<T>> {
  const result = await simulateHttp({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

function httpEvents(result: SimulationResult<unknown>) {
  return result.trace.ofKind('http').map((e) => ({ t: e.t, kind: e.kind, actor: e.actor, ...e.data }));
}

async function rejection(promise: Promise<unknown>): Promise<Error & { cause?: any }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Each undici dispatcher symbol's own descriptor on globalThis (undefined when absent). */
function dispatcherState() {
  return GLOBAL_DISPATCHERS.map((key) => Object.getOwnPropertyDescriptor(globalThis, key));
}

/** The same properties: same attributes, and the very same values. */
function expectSameDispatchers(
  now: ReturnType<typeof dispatcherState>,
  before: ReturnType<typeof dispatcherState>,
) {
  expect(now.map((d) => d && { ...d, value: undefined })).toEqual(
    before.map((d) => d && { ...d, value: undefined }),
  );
  for (const [i, d] of now.entries()) expect(d?.value).toBe(before[i]?.value);
}

describe('HTTP bridge', () => {
  it('routes fetch to a simulated service and traces the exchange', async () => {
    const seen: unknown[] = [];
    const orders: HttpTarget = {
      name: 'orders',
      async respond(request, { signal }) {
        seen.push(request);
        await new Promise((resolve) => setTimeout(resolve, 250));
        expect(signal.aborted).toBe(false);
        return { status: 201, headers: { 'x-order': ['a', 'b'] }, body: { id: 7 } };
      },
    };
    const result = await run(async (_sim, route) => {
      route('https://orders.test/api', orders);
      const res = await fetch('https://orders.test/api/orders?full=1', {
        method: 'POST',
        headers: { 'X-Token': 't1', 'content-type': 'application/json' },
        body: JSON.stringify({ item: 'tea' }),
      });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        order: res.headers.get('x-order'),
        url: res.url,
        body: await res.json(),
      };
    });
    expect(result.value).toEqual({
      status: 201,
      type: 'application/json',
      order: 'a, b',
      url: 'https://orders.test/api/orders?full=1',
      body: { id: 7 },
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: 'https://orders.test/api/orders?full=1',
        headers: { 'content-type': 'application/json', 'x-token': 't1' },
        body: '{"item":"tea"}',
      },
    ]);
    const url = 'https://orders.test/api/orders?full=1';
    expect(httpEvents(result)).toEqual([
      { t: 0, kind: 'http.request', actor: 'orders', method: 'POST', url },
      { t: 250, kind: 'http.response', actor: 'orders', method: 'POST', url, status: 201, ms: 250 },
    ]);
  });

  it("resolves a fetch answered with msw's delay(2000) exactly 2,000 virtual ms later", async () => {
    const result = await run(async (sim, route) => {
      route('https://api.test', [
        http.get('https://api.test/slow', async () => {
          await delay(2000);
          return HttpResponse.json({ ok: true });
        }),
      ]);
      const [t0, d0] = [sim.now(), Date.now()];
      const res = await fetch('https://api.test/slow');
      const [t1, d1] = [sim.now(), Date.now()];
      return { body: await res.json(), virtual: t1 - t0, date: d1 - d0 };
    });
    expect(result.value).toEqual({ body: { ok: true }, virtual: 2000, date: 2000 });
    expect(result.trace.ofKind('http.response')[0]).toMatchObject({
      t: 2000,
      data: { status: 200, ms: 2000 },
    });
  });

  it('same seed, same trace through msw handler routes (msw imported by the route)', async () => {
    const scenario = () =>
      run(async (_sim, route) => {
        route('https://api.test', [
          http.get('https://api.test/r/:i', async ({ params }) => {
            await delay(Math.floor(Math.random() * 1000));
            return HttpResponse.text(String(params.i));
          }),
        ]);
        return Promise.all([0, 1, 2, 3].map(async (i) => (await fetch(`https://api.test/r/${i}`)).text()));
      }, 5);
    const [a, b] = [await scenario(), await scenario()];
    expect(a.value).toEqual(['0', '1', '2', '3']);
    expect(a.trace.ofKind('http.response')).toHaveLength(4);
    expect(a.trace.hash).toBe(b.trace.hash);
  });

  it('resolves concurrent requests at their own virtual times', async () => {
    const delays = [300, 100, 500, 100, 200];
    const result = await run(async (sim, route) => {
      route('https://api.test', [
        http.get('https://api.test/item/:i', async ({ params }) => {
          await delay(delays[Number(params.i)]);
          return HttpResponse.text(String(params.i));
        }),
      ]);
      return Promise.all(
        delays.map(async (_, i) => {
          const res = await fetch(`https://api.test/item/${i}`);
          return [await res.text(), sim.now()];
        }),
      );
    });
    expect(result.value).toEqual(delays.map((d, i) => [String(i), d]));
    const responses = result.trace.ofKind('http.response').map((e) => [e.t, e.data!.url]);
    expect(responses).toEqual([
      [100, 'https://api.test/item/1'],
      [100, 'https://api.test/item/3'],
      [200, 'https://api.test/item/4'],
      [300, 'https://api.test/item/0'],
      [500, 'https://api.test/item/2'],
    ]);
  });

  it('streams an async-iterable body chunk by chunk on the virtual clock', async () => {
    const result = await run(async (sim, route) => {
      route('https://stream.test', {
        name: 'stream',
        async respond() {
          return {
            status: 200,
            headers: { 'content-type': 'text/plain' },
            body: (async function* () {
              for (let i = 0; i < 3; i++) {
                await sim.sleep(100);
                yield i === 1 ? new TextEncoder().encode(`chunk${i};`) : `chunk${i};`;
              }
            })(),
          };
        },
      });
      const res = await fetch('https://stream.test/s');
      const headersAt = sim.now();
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const chunks: [number, string][] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push([sim.now(), decoder.decode(value)]);
      }
      return { headersAt, chunks };
    });
    expect(result.value).toEqual({
      headersAt: 0,
      chunks: [
        [100, 'chunk0;'],
        [200, 'chunk1;'],
        [300, 'chunk2;'],
      ],
    });
  });

  it('cancels a streamed body at once and tells the service the client left', async () => {
    const result = await run(async (sim, route) => {
      let signal: AbortSignal | undefined;
      let finished = false;
      route('https://stream.test', {
        name: 'stream',
        async respond(_request, options) {
          signal = options.signal;
          return {
            status: 200,
            body: (async function* () {
              try {
                for (;;) {
                  yield 'tick;';
                  await sim.sleep(100);
                }
              } finally {
                finished = true;
              }
            })(),
          };
        },
      });
      const res = await fetch('https://stream.test/s');
      const reader = res.body!.getReader();
      await reader.read();
      await reader.cancel();
      await sim.sleep(200);
      return { aborted: signal!.aborted, finished };
    });
    expect(result.value).toEqual({ aborted: true, finished: true });
  });

  it('hands out msw response bodies that cancel, even tee-cloned generator responses', async () => {
    const result = await run(async (_sim, route) => {
      route('https://api.test', [
        http.get('https://api.test/gen', function* () {
          yield HttpResponse.json({ error: 'busy' }, { status: 429 });
          return HttpResponse.json({ ok: true });
        }),
      ]);
      const first = await fetch('https://api.test/gen');
      await first.body!.cancel();
      const second = await fetch('https://api.test/gen');
      return [first.status, second.status, await second.json()];
    });
    expect(result.value).toEqual([429, 200, { ok: true }]);
  });

  it('rejects an unmatched URL loudly, at once, without the network', async () => {
    const result = await run(async (sim, route) => {
      route('https://api.test/v1', () => new Response('never'));
      const sibling = await rejection(fetch('https://api.test/v10/models'));
      const other = await rejection(fetch('https://api.example.invalid/v1/models', { method: 'DELETE' }));
      return { sibling, other, at: sim.now() };
    });
    const { sibling, other, at } = result.value!;
    for (const error of [sibling, other]) {
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe('fetch failed');
      expect(UnmatchedRequestError.is(error.cause)).toBe(true);
      expect(error.cause.routes).toEqual(['https://api.test/v1']);
    }
    expect(other.cause).toMatchObject({ method: 'DELETE', url: 'https://api.example.invalid/v1/models' });
    expect(other.cause.message).toBe(
      'DELETE https://api.example.invalid/v1/models: no simulated service matches this URL; routed base URLs: https://api.test/v1. A simulation never reaches the real network.',
    );
    expect(at).toBe(0);
    expect(httpEvents(result)).toEqual([
      { t: 0, kind: 'http.unmatched', actor: undefined, method: 'GET', url: 'https://api.test/v10/models' },
      {
        t: 0,
        kind: 'http.unmatched',
        actor: undefined,
        method: 'DELETE',
        url: 'https://api.example.invalid/v1/models',
      },
    ]);
  });

  it('says so when nothing is routed, and when a routed base has no matching handler', async () => {
    const result = await run(async (_sim, route) => {
      const none = await rejection(fetch('https://api.test/x'));
      route('https://api.test', [http.get('https://api.test/only', () => HttpResponse.text('ok'))]);
      const noHandler = await rejection(fetch('https://api.test/other'));
      return [none.cause.message, noHandler.cause.message];
    });
    expect(result.value![0]).toContain('no base URL is routed (register one with sim.http(baseUrl, target))');
    expect(result.value![1]).toBe(
      'GET https://api.test/other: no handler routed at https://api.test matches; routed base URLs: https://api.test. A simulation never reaches the real network.',
    );
    expect(result.trace.ofKind('http.unmatched').map((e) => e.actor)).toEqual([
      undefined,
      'https://api.test',
    ]);
  });

  it("refuses msw's passthrough(): there is no real network to pass to", async () => {
    const result = await run(async (_sim, route) => {
      route('https://api.test', [http.get('https://api.test/*', () => passthrough())]);
      return (await rejection(fetch('https://api.test/x'))).cause;
    });
    expect(UnmatchedRequestError.is(result.value)).toBe(true);
    expect((result.value as Error).message).toContain('passthrough() asks for the real network');
  });

  it("rejects network errors as undici does: TypeError('fetch failed') with the cause", async () => {
    const result = await run(async (_sim, route) => {
      route('https://svc.test', {
        name: 'svc',
        async respond() {
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        },
      });
      route('https://msw.test', [http.get('https://msw.test/*', () => HttpResponse.error())]);
      return [await rejection(fetch('https://svc.test/a')), await rejection(fetch('https://msw.test/b'))];
    });
    const [reset, mswError] = result.value!;
    expect(reset).toBeInstanceOf(TypeError);
    expect(reset.message).toBe('fetch failed');
    expect(reset.cause).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
    expect(mswError).toBeInstanceOf(TypeError);
    expect(mswError.cause.message).toContain('Response.error()');
    expect(result.trace.ofKind('http.error').map((e) => [e.actor, e.data!.error])).toEqual([
      ['svc', 'ECONNRESET'],
      ['https://msw.test', 'Error: https://msw.test answered with Response.error()'],
    ]);
  });

  it('sends a rejection that carries a status as that HTTP response', async () => {
    const result = await run(async (_sim, route) => {
      route('https://svc.test', {
        name: 'svc',
        async respond() {
          throw Object.assign(new Error('overloaded'), {
            status: 529,
            headers: { 'retry-after': '2' },
            body: { type: 'error', error: { type: 'overloaded_error' } },
          });
        },
      });
      const res = await fetch('https://svc.test/v1/messages', { method: 'POST', body: '{}' });
      return [res.status, res.headers.get('retry-after'), await res.json()];
    });
    expect(result.value).toEqual([529, '2', { type: 'error', error: { type: 'overloaded_error' } }]);
  });

  it('an invalid reply status fails the request with the reason', async () => {
    const result = await run(async (_sim, route) => {
      route('https://svc.test', { name: 'svc', respond: async () => ({ status: 42 }) });
      return rejection(fetch('https://svc.test/'));
    });
    expect(result.value).toBeInstanceOf(TypeError);
    expect(result.value!.cause).toBeInstanceOf(RangeError);
  });

  it('aborting a fetch rejects it at once and aborts the service', async () => {
    const result = await run(async (sim, route) => {
      let serviceSaw: unknown;
      route('https://svc.test', {
        name: 'svc',
        async respond(_request, { signal }) {
          try {
            await sim.sleep(5000, signal);
          } catch (error) {
            serviceSaw = error;
            throw error;
          }
          return { status: 200 };
        },
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 1000);
      const error = await rejection(
        fetch(new Request('https://svc.test/slow', { signal: controller.signal })),
      );
      return { name: error.name, at: sim.now(), serviceSaw: (serviceSaw as Error).name };
    });
    expect(result.value).toEqual({ name: 'AbortError', at: 1000, serviceSaw: 'AbortError' });
    expect(result.trace.ofKind('http.error')).toMatchObject([
      { t: 1000, actor: 'svc', data: { error: 'AbortError' } },
    ]);
  });

  it('AbortSignal.timeout ends a hung msw request at exactly its timeout', async () => {
    const result = await run(async (sim, route) => {
      route('https://api.test', [
        http.get('https://api.test/hang', async () => {
          await delay('infinite');
          return HttpResponse.text('never');
        }),
      ]);
      const error = await rejection(fetch('https://api.test/hang', { signal: AbortSignal.timeout(3000) }));
      return [error.name, sim.now()];
    });
    expect(result.value).toEqual(['TimeoutError', 3000]);
  });

  it('routes by the longest matching base URL; remove() unroutes', async () => {
    const result = await run(async (_sim, route) => {
      route('https://svc.test', () => new Response('root'));
      const v2 = route(
        'https://svc.test/v2/',
        async (request) => new Response(`v2 ${new URL(request.url).pathname}`),
      );
      const text = async (url: string) => (await fetch(url)).text();
      const before = [
        await text('https://svc.test/v2/x'),
        await text('https://svc.test/v2'),
        await text('https://svc.test/v1/x'),
      ];
      v2.remove();
      return { before, after: await text('https://svc.test/v2/x'), base: v2.baseUrl, actor: v2.actor };
    });
    expect(result.value).toEqual({
      before: ['v2 /v2/x', 'v2 /v2', 'root'],
      after: 'root',
      base: 'https://svc.test/v2',
      actor: 'https://svc.test/v2',
    });
  });

  it('rejects bad routes with a ConfigError', async () => {
    const result = await run(async (_sim, route) => {
      route('https://svc.test/api', () => new Response('x'));
      const bad: [string, unknown][] = [
        ['https://svc.test/api/', () => new Response('dup')],
        ['/relative', () => new Response('x')],
        ['ftp://svc.test', () => new Response('x')],
        ['https://svc.test/q?x=1', () => new Response('x')],
        ['https://other.test', 42],
        ['https://other.test', []],
      ];
      return bad.map(([base, target]) => {
        try {
          route(base, target as never);
          return 'accepted';
        } catch (error) {
          return ConfigError.is(error) ? error.message : String(error);
        }
      });
    });
    expect(result.value).toEqual([
      expect.stringContaining('already is; remove() the earlier route first'),
      expect.stringContaining('an absolute http(s) URL'),
      expect.stringContaining('an http: or https: URL'),
      expect.stringContaining('without query'),
      expect.stringContaining('a simulated service ({ name, respond })'),
      expect.stringContaining('a simulated service ({ name, respond })'),
    ]);
  });

  it('answers a fetch reference captured before the run (undici dispatcher) through the bridge too', async () => {
    const result = await run(async (sim, route) => {
      let seenBody: string | undefined;
      route('https://svc.test', {
        name: 'svc',
        async respond(request) {
          seenBody = request.body;
          return {
            status: 200,
            body: (async function* () {
              yield 'a';
              await sim.sleep(50);
              yield 'b';
            })(),
          };
        },
      });
      const res = await realFetch('https://svc.test/x', { method: 'POST', body: 'hello' });
      const text = await res.text();
      const unmatched = await rejection(realFetch('https://elsewhere.invalid/'));
      return { status: res.status, text, at: sim.now(), seenBody, unmatched: unmatched.cause };
    });
    expect(result.value).toMatchObject({ status: 200, text: 'ab', at: 50, seenBody: 'hello' });
    expect(UnmatchedRequestError.is(result.value!.unmatched)).toBe(true);
  });
});

describe('fetch patching', () => {
  it('installGlobals replaces fetch and the undici dispatcher, and restore() puts both back', () => {
    const before = { fetch: globalThis.fetch, dispatcher: dispatcherState() };
    const fake = async () => new Response('fake');
    const patch = installGlobals(new VirtualClock(), seededRandom(1), 0, { fetch: fake });
    let during: unknown[];
    try {
      during = [globalThis.fetch, ...dispatcherState().map((d) => d?.value)];
    } finally {
      patch.restore();
    }
    // What Node's undici leaves: non-configurable but writable; .2 only from undici 7 on,
    // so on Node 20 this covers a symbol that must be absent again, on Node 26 two to reassign.
    expect(before.dispatcher[0]).toMatchObject({ writable: true, configurable: false });
    expect(before.dispatcher[1] === undefined).toBe(Number(process.versions.undici!.split('.')[0]) < 7);
    expect(during[0]).toBe(fake);
    // One bridge dispatcher under both symbols (Node 20's undici 6 reads .1, Node 26's undici 8 reads .2).
    expect(during[1]).toBe(during[2]);
    expect(typeof (during[1] as { dispatch?: unknown }).dispatch).toBe('function');
    for (const [i, d] of before.dispatcher.entries()) expect(during[i + 1]).not.toBe(d?.value);
    expect(globalThis.fetch).toBe(before.fetch);
    expectSameDispatchers(dispatcherState(), before.dispatcher);
  });

  it('leaves fetch alone when no fetch is given', () => {
    const before = globalThis.fetch;
    const patch = installGlobals(new VirtualClock(), seededRandom(1), 0);
    const during = globalThis.fetch;
    patch.restore();
    expect(during).toBe(before);
  });

  it('restores fetch after a simulation, also when its body throws', async () => {
    const before = { fetch: globalThis.fetch, dispatcher: dispatcherState() };
    let during: unknown;
    const result = await simulateHttp({ seed: 1 }, async (_sim, route) => {
      route('https://svc.test', () => new Response('x'));
      during = globalThis.fetch;
      throw new Error('boom');
    });
    expect((result.error as Error).message).toBe('boom');
    expect(during).not.toBe(before.fetch);
    expect(globalThis.fetch).toBe(before.fetch);
    expect(globalThis.fetch).toBe(realFetch);
    expectSameDispatchers(dispatcherState(), before.dispatcher);
  });
});

describe('http bridge: handler contract', () => {
  it('a function target that returns no Response fails the fetch as a connection error naming the route', async () => {
    const { simulate } = await import('../../../src/index.js');
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('https://bad.test', (() => undefined) as never);
      const error = (await fetch('https://bad.test/x').catch((e: unknown) => e)) as TypeError;
      return { message: error.message, cause: String((error.cause as Error)?.message) };
    });
    expect(result.value).toEqual({
      message: 'fetch failed',
      cause: expect.stringMatching(/sim\.http\("https:\/\/bad\.test", handler\).*a Response/),
    });
    expect(result.trace.ofKind('http.error')).toHaveLength(1);
  });
});

import http, { get as namedGet } from 'node:http';
import https from 'node:https';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faults, ServiceError, simulate, UnmatchedRequestError } from '../../../src/index.js';
import type { HttpTarget } from '../../../src/simulators/http/target.js';
import { type CountingServer, countingServer } from '../../support/counting-server.js';

/*
 * node:http / node:https clients inside a run: answered by sim.http routes on
 * virtual time, refused with UnmatchedRequestError (the request's 'error'
 * event) when unrouted, and never reaching a real server.
 */

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(() => server.close());

/** A service that answers after `latencyMs` virtual ms with what it was asked. */
function echo(latencyMs: number): HttpTarget {
  return {
    name: 'echo',
    async respond(request, { signal }) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, latencyMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
      return {
        status: 200,
        headers: { 'x-echo': 'yes' },
        body: { method: request.method, url: request.url, body: request.body ?? null, at: Date.now() },
      };
    },
  };
}

function read(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
    });
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

describe('node:http inside simulate', () => {
  it('answers axios, http.get and https.request from a route, on virtual time', async () => {
    const result = await simulate({ seed: 3 }, async (sim) => {
      sim.http('http://svc.test/api', echo(250));
      sim.http('https://secure.test', echo(400));
      const start = Date.now();

      const viaAxios = await axios.post('http://svc.test/api/items?x=1', { name: 'tea' });
      const afterAxios = Date.now() - start;

      const viaGet = await new Promise<{ status?: number; header: unknown; body: string }>(
        (resolve, reject) => {
          http
            .get('http://svc.test/api/ping', (res) => {
              read(res).then((body) =>
                resolve({ status: res.statusCode, header: res.headers['x-echo'], body }),
              );
            })
            .on('error', reject);
        },
      );
      const afterGet = Date.now() - start;

      const viaHttps = await new Promise<string>((resolve, reject) => {
        const req = https.request('https://secure.test/v1/do', { method: 'PUT' }, (res) => {
          read(res).then(resolve, reject);
        });
        req.on('error', reject);
        req.end('payload');
      });
      const afterHttps = Date.now() - start;

      return {
        axios: { status: viaAxios.status, data: viaAxios.data, at: afterAxios },
        get: { ...viaGet, body: JSON.parse(viaGet.body), at: afterGet },
        https: { body: JSON.parse(viaHttps), at: afterHttps },
      };
    });
    expect(result.error).toBeUndefined();
    const v = result.value!;
    expect(v.axios).toMatchObject({
      status: 200,
      at: 250,
      data: { method: 'POST', url: 'http://svc.test/api/items?x=1', body: '{"name":"tea"}' },
    });
    expect(v.get).toMatchObject({ status: 200, header: 'yes', at: 500, body: { method: 'GET' } });
    expect(v.https).toMatchObject({
      at: 900,
      body: { method: 'PUT', url: 'https://secure.test/v1/do', body: 'payload' },
    });
    const responses = result.trace
      .ofKind('http.response')
      .map((e) => [e.t, e.actor, e.data.method, e.data.ms]);
    expect(responses).toEqual([
      [250, 'echo', 'POST', 250],
      [500, 'echo', 'GET', 250],
      [900, 'echo', 'PUT', 400],
    ]);
  });

  it('refuses unrouted requests with UnmatchedRequestError as the error event; nothing reaches the server', async () => {
    const before = server.connections;
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('http://svc.test', echo(10));
      const url = `http://127.0.0.1:${server.port}/secret`;
      const fromGet = await new Promise<unknown>((resolve) => {
        http.get(url, () => resolve('answered')).on('error', resolve);
      });
      const fromHttps = await new Promise<unknown>((resolve) => {
        https
          .request('https://unrouted.test/x', () => resolve('answered'))
          .on('error', resolve)
          .end();
      });
      const fromAxios = await axios.get(url).catch((e: unknown) => e);
      return { fromGet, fromHttps, fromAxios };
    });
    const { fromGet, fromHttps, fromAxios } = result.value!;
    expect(UnmatchedRequestError.is(fromGet)).toBe(true);
    expect((fromGet as UnmatchedRequestError).message).toContain(
      `GET http://127.0.0.1:${server.port}/secret`,
    );
    expect((fromGet as UnmatchedRequestError).routes).toEqual(['http://svc.test']);
    expect(UnmatchedRequestError.is(fromHttps)).toBe(true);
    expect(fromAxios).toMatchObject({ isAxiosError: true, code: 'HTTP_UNMATCHED' });
    expect(result.trace.ofKind('http.unmatched').map((e) => e.data.url)).toEqual([
      `http://127.0.0.1:${server.port}/secret`,
      'https://unrouted.test/x',
      `http://127.0.0.1:${server.port}/secret`,
    ]);
    expect(server.connections).toBe(before);
  });

  it('covers ESM named imports of node:http too', async () => {
    const before = server.connections;
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('http://svc.test', echo(75));
      const status = await new Promise<number | undefined>((resolve, reject) => {
        namedGet('http://svc.test/named', (res) => read(res).then(() => resolve(res.statusCode))).on(
          'error',
          reject,
        );
      });
      const refused = await new Promise<unknown>((resolve) => {
        namedGet(`http://127.0.0.1:${server.port}/`, () => resolve('answered')).on('error', resolve);
      });
      return { status, at: sim.now(), refused };
    });
    expect(result.value).toMatchObject({ status: 200, at: 75 });
    expect(UnmatchedRequestError.is(result.value!.refused)).toBe(true);
    expect(server.connections).toBe(before);
    expect(namedGet).toBe(http.get);
  });

  it('a request captured or subclassed before the first node:http call is answered too (interception applies on first use)', async () => {
    const before = server.connections;
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('http://svc.test', echo(40));
      const { request } = http; // captured before any node:http call in the run
      class Traced extends http.ClientRequest {
        traced = true;
      }
      const viaSubclass = new Traced('http://svc.test/sub');
      const first = await new Promise<number | undefined>((resolve, reject) => {
        viaSubclass.on('response', (res) => read(res).then(() => resolve(res.statusCode)));
        viaSubclass.on('error', reject);
        viaSubclass.end();
      });
      const second = await new Promise<string>((resolve, reject) => {
        request('http://svc.test/captured', (res) => read(res).then(resolve))
          .on('error', reject)
          .end();
      });
      return { first, second: JSON.parse(second).url, traced: viaSubclass.traced, at: sim.now() };
    });
    expect(result.value).toEqual({ first: 200, second: 'http://svc.test/captured', traced: true, at: 80 });
    expect(server.connections).toBe(before);
  });

  it("a service's network fault reaches the client as that error", async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http(
        'http://db.test',
        sim.service('db', { handle: () => ({ ok: true }), faults: [faults.reset({ rate: 1 })] }),
      );
      return new Promise<unknown>((resolve) => {
        http.get('http://db.test/q', () => resolve('answered')).on('error', resolve);
      });
    });
    expect(ServiceError.is(result.value)).toBe(true);
    expect((result.value as ServiceError).code).toBe('ECONNRESET');
  });

  it('a client that gives up aborts the target (no timer left behind)', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('http://slow.test', echo(10_000));
      const outcome = await axios
        .get('http://slow.test/x', { timeout: 300 })
        .catch((e: { code?: string }) => e.code);
      return { outcome, at: sim.now() };
    });
    expect(result.value).toEqual({ outcome: 'ECONNABORTED', at: 300 });
    expect(result.pendingTimers).toEqual([]);
  });

  it('streams a body chunk by chunk on virtual time; destroying the request mid-stream stops the target', async () => {
    let aborted = false;
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('http://stream.test', {
        name: 'ticker',
        async respond(_request, { signal }) {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          return {
            status: 200,
            headers: { 'content-type': 'text/event-stream' },
            body: (async function* () {
              for (let i = 0; ; i++) {
                await sim.sleep(100, signal);
                yield `data: ${i}\n\n`;
              }
            })(),
          };
        },
      });
      const seen: [number, string][] = [];
      await new Promise<void>((resolve) => {
        const req = http.get('http://stream.test/events', (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            seen.push([sim.now(), chunk.trim()]);
            if (seen.length === 3) req.destroy();
          });
        });
        req.on('close', () => resolve());
        req.on('error', () => {});
      });
      await sim.sleep(1000);
      return seen;
    });
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual([
      [100, 'data: 0'],
      [200, 'data: 1'],
      [300, 'data: 2'],
    ]);
    expect(aborted).toBe(true);
    expect(result.pendingTimers).toEqual([]);
  });

  it('keep-alive agents open no real sockets and leave none behind', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
    const before = sockets();
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('http://svc.test', echo(5));
      const statuses: (number | undefined)[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          await new Promise<number | undefined>((resolve, reject) => {
            http
              .get('http://svc.test/k', { agent }, (res) => read(res).then(() => resolve(res.statusCode)))
              .on('error', reject);
          }),
        );
      }
      return statuses;
    });
    expect(result.value).toEqual([200, 200, 200]);
    expect(Object.keys(agent.freeSockets)).toEqual([]);
    expect(sockets()).toBe(before);
    agent.destroy();
  });

  it('puts node:http and node:https back exactly, also when the body throws', async () => {
    const before = [http.request, http.get, http.ClientRequest, https.request, https.get];
    const globals = [globalThis.Headers, globalThis.Request, globalThis.Response, Headers.prototype.set];
    let during: unknown[] = [];
    const result = await simulate({ seed: 1 }, async () => {
      during = [http.request, http.get, http.ClientRequest, https.request, https.get];
      throw new Error('boom');
    });
    expect((result.error as Error).message).toBe('boom');
    expect(during.some((f, i) => f !== before[i])).toBe(true);
    expect([http.request, http.get, http.ClientRequest, https.request, https.get]).toEqual(before);
    expect([globalThis.Headers, globalThis.Request, globalThis.Response, Headers.prototype.set]).toEqual(
      globals,
    );
  });

  it('same seed, same trace: axios through a faulty service', async () => {
    const scenario = () =>
      simulate({ seed: 11 }, async (sim) => {
        sim.http(
          'http://flaky.test',
          sim.service('flaky', {
            latency: '40ms',
            handle: () => ({ ok: true }),
            faults: [faults.errors({ rate: 0.5, status: 503 })],
          }),
        );
        const statuses: number[] = [];
        for (let i = 0; i < 10; i++) {
          const res = await axios.get('http://flaky.test/x', { validateStatus: () => true });
          statuses.push(res.status);
        }
        return statuses;
      });
    const [a, b] = [await scenario(), await scenario()];
    expect(a.value).toContain(503);
    expect(a.value).toContain(200);
    expect(a.trace.hash).toBe(b.trace.hash);
  });
});

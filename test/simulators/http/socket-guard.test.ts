import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, Pool, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkRefusedError, simulate, UnmatchedRequestError } from '../../../src/index.js';
import { realFetch } from '../../../src/simulators/kernel/real-globals.js';
import { type CountingServer, countingServer } from '../../support/counting-server.js';

/*
 * The socket guard: any connection opened during a run that the HTTP bridge
 * did not make is refused with an error naming faultline and the host, and a
 * real server on 127.0.0.1 sees no connection at all.
 */

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(() => server.close());

/** Resolves with the first 'error' the emitter raises (or 'connected' if it connects). */
function firstError(emitter: NodeJS.EventEmitter, connectEvent = 'connect'): Promise<unknown> {
  return new Promise((resolve) => {
    emitter.once('error', resolve);
    emitter.once(connectEvent, () => resolve('connected'));
  });
}

/** The innermost cause of an error chain. */
function rootCause(error: unknown): unknown {
  let e = error;
  while (e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause)
    e = (e as { cause: unknown }).cause;
  return e;
}

describe('socket guard', () => {
  it('refuses every route to a real socket during a run; the server sees no connection', async () => {
    const before = server.connections;
    const port = server.port;
    const origin = `http://127.0.0.1:${port}`;
    const result = await simulate({ seed: 1 }, async () => {
      const outcomes: Record<string, unknown> = {};
      outcomes.netConnect = await firstError(net.connect(port, '127.0.0.1'));
      outcomes.netSocket = await firstError(new net.Socket().connect({ port, host: '127.0.0.1' }));
      outcomes.tlsConnect = await firstError(
        tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }),
        'secureConnect',
      );
      // http2 wraps a socket without a native handle and reports 'connect' at once; the refusal follows as 'error'.
      const session = http2.connect(origin);
      outcomes.http2 = await firstError(session, 'never');
      session.destroy();
      const agent = new Agent();
      outcomes.undiciAgent = await undiciRequest(`${origin}/a`, { dispatcher: agent }).catch(
        (e: unknown) => e,
      );
      const pool = new Pool(origin);
      outcomes.undiciPool = await pool.request({ path: '/p', method: 'GET' }).catch((e: unknown) => e);
      outcomes.undiciFetch = await undiciFetch(`${origin}/f`, { dispatcher: agent }).catch((e: unknown) => e);
      outcomes.capturedFetch = await realFetch(`${origin}/c`, { dispatcher: agent } as RequestInit).catch(
        (e: unknown) => e,
      );
      await Promise.all([agent.close(), pool.close()]);
      return outcomes;
    });
    expect(result.error).toBeUndefined();
    const outcomes = result.value!;
    expect(Object.keys(outcomes)).toHaveLength(8);
    for (const [route, outcome] of Object.entries(outcomes)) {
      const refused = rootCause(outcome);
      expect(NetworkRefusedError.is(refused), route).toBe(true);
      expect((refused as Error).message, route).toContain(
        `faultline refused a real connection to 127.0.0.1:${port}`,
      );
      expect((refused as NetworkRefusedError).host, route).toBe('127.0.0.1');
    }
    expect(server.connections).toBe(before);
  });

  it("undici's own request and fetch without a dispatcher of their own go through the bridge instead", async () => {
    const before = server.connections;
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('https://svc.test', async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return new Response('routed');
      });
      const viaRequest = await undiciRequest('https://svc.test/r').then((r) => r.body.text());
      const viaFetch = await undiciFetch('https://svc.test/f').then((r) => r.text());
      const unrouted = await undiciRequest(`http://127.0.0.1:${server.port}/`).catch((e: unknown) => e);
      return { viaRequest, viaFetch, unrouted, at: sim.now() };
    });
    expect(result.value).toMatchObject({ viaRequest: 'routed', viaFetch: 'routed', at: 100 });
    expect(UnmatchedRequestError.is(result.value!.unrouted)).toBe(true);
    expect(server.connections).toBe(before);
  });

  it("says so when the refused host is routed and only the client's own connection bypassed the bridge", async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http(`http://127.0.0.1:${server.port}/v1`, () => new Response('routed'));
      const agent = new Agent();
      const viaAgent = await undiciRequest(`http://127.0.0.1:${server.port}/v1/x`, {
        dispatcher: agent,
      }).catch((e: unknown) => e);
      const viaGlobal = await undiciRequest(`http://127.0.0.1:${server.port}/v1/x`).then((r) =>
        r.body.text(),
      );
      await agent.close();
      return { viaAgent: rootCause(viaAgent), viaGlobal };
    });
    expect(result.value!.viaGlobal).toBe('routed');
    expect(NetworkRefusedError.is(result.value!.viaAgent)).toBe(true);
    expect((result.value!.viaAgent as Error).message).toContain(
      `http://127.0.0.1:${server.port}/v1 is routed with sim.http, but this client opened a connection of its own`,
    );
  });

  it('names the socket path of an IPC connection', async () => {
    const result = await simulate({ seed: 1 }, () => firstError(net.connect('/tmp/faultline-no-such.sock')));
    expect(NetworkRefusedError.is(result.value)).toBe(true);
    expect((result.value as NetworkRefusedError).host).toBe('/tmp/faultline-no-such.sock');
  });

  it('lets connections through again once the run is over', async () => {
    const before = server.connections;
    await simulate({ seed: 1 }, () => undefined);
    const outcome = await firstError(net.connect(server.port, '127.0.0.1'));
    expect(outcome).toBe('connected');
    await expect.poll(() => server.connections).toBe(before + 1);
  });
});

import http from 'node:http';
import https from 'node:https';
import { HttpResponse, http as mswHttp } from 'msw';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/index.js';

/*
 * msw's own patches (fetch, node:http, the Headers/Request/Response globals its
 * interceptors record raw headers through) are exactly as msw left them after a
 * run, so msw's own close() still restores the pristine globals.
 */

function globalsState() {
  const H = globalThis.Headers as unknown as Record<symbol, unknown>;
  return {
    values: [
      globalThis.fetch,
      http.request,
      http.get,
      http.ClientRequest,
      https.request,
      https.get,
      globalThis.Headers,
      globalThis.Request,
      globalThis.Response,
      Headers.prototype.set,
      Headers.prototype.append,
      Headers.prototype.delete,
    ],
    headerSymbols: Object.getOwnPropertySymbols(H).map((s) => [s, H[s]]),
  };
}

describe("msw's patches around a run", () => {
  it('are restored exactly after a run that used node:http, fetch and msw, and msw.close() still restores Node', async () => {
    const pristine = globalsState();
    const server = setupServer(mswHttp.get('https://m.test/x', () => HttpResponse.json({ from: 'msw' })));
    server.listen({ onUnhandledRequest: 'bypass' });
    try {
      const listening = globalsState();
      expect(listening.values[0]).not.toBe(pristine.values[0]);
      const result = await simulate({ seed: 1 }, async (sim) => {
        sim.http('http://svc.test', () => new Response('routed', { headers: { 'X-Case': 'Kept' } }));
        const viaNode = await new Promise<unknown>((resolve, reject) => {
          http
            .get('http://svc.test/a', (res) => {
              res.resume();
              res.on('end', () => resolve(res.rawHeaders));
            })
            .on('error', reject);
        });
        const viaMsw = await (await fetch('https://m.test/x')).json();
        return { viaNode, viaMsw };
      });
      expect(result.value).toMatchObject({ viaMsw: { from: 'msw' } });
      expect(result.value!.viaNode).toContain('X-Case');
      expect(globalsState()).toEqual(listening);
      expect(await (await fetch('https://m.test/x')).json()).toEqual({ from: 'msw' });
    } finally {
      server.close();
    }
    expect(globalsState()).toEqual(pristine);
  });
});

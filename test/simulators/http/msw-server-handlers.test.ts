import { HttpResponse, http, ws } from 'msw';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/index.js';

describe('sim.http with an msw server', () => {
  it('routes server.listHandlers() as it is, WebSocket handlers included (they never see fetch)', async () => {
    const chat = ws.link('wss://chat.test');
    const server = setupServer(
      http.get('https://api.example.test/ping', () => HttpResponse.json({ pong: true })),
      chat.addEventListener('connection', () => {}),
    );
    expect(server.listHandlers().map((h) => h.kind)).toContain('websocket');
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('https://api.example.test', server.listHandlers());
      const ping = await (await fetch('https://api.example.test/ping')).json();
      const missing = await fetch('https://api.example.test/nope').then(
        (r) => r.status,
        (e: Error) => e.message,
      );
      return { ping, missing };
    });
    expect(result.error).toBeUndefined();
    expect(result.value?.ping).toEqual({ pong: true });
    expect(result.value?.missing).toMatch(/fetch failed|no route|unmatched/i);
  });
});

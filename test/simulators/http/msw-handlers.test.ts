import http from 'node:http';
import axios from 'axios';
import { bypass, delay, HttpResponse, http as mswHttp, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate, UnmatchedRequestError } from '../../../src/index.js';
import { type CountingServer, countingServer } from '../../support/counting-server.js';

/*
 * The user's own msw handlers (setupServer(...).listen(), as in a vitest setup
 * file) answer what no sim.http route matches, on virtual time; what they do
 * not answer is refused, never reaching the network; msw's own patches are
 * back exactly after the run.
 */

let real: CountingServer;
let openaiCalls = 0;
const handlers = [
  mswHttp.get('https://api.users.test/user', async () => {
    await delay(2000);
    return HttpResponse.json({ name: 'Ada', at: Date.now() });
  }),
  mswHttp.get('https://api.users.test/shadowed', () => HttpResponse.json({ from: 'msw' })),
  mswHttp.get('https://api.users.test/pass', () => passthrough()),
  mswHttp.post('https://api.openai.test/v1/chat/completions', () => {
    openaiCalls++;
    if (openaiCalls <= 2) return HttpResponse.json({ error: { message: 'overloaded' } }, { status: 500 });
    return HttpResponse.json({
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [
        { index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'hi' } },
      ],
    });
  }),
];
const server = setupServer(...handlers);

beforeAll(async () => {
  real = await countingServer();
  server.listen({ onUnhandledRequest: 'bypass' });
});
afterAll(async () => {
  server.close();
  await real.close();
});

const cause = (e: unknown) => (e as { cause?: unknown }).cause;

describe("the user's msw handlers inside simulate", () => {
  it('answer fetch and node:http on virtual time: delay(2000) is exactly 2000 virtual ms', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const start = Date.now();
      const viaFetch = await (await fetch('https://api.users.test/user')).json();
      const viaAxios = (await axios.get('https://api.users.test/user')).data;
      return { viaFetch, viaAxios, start, end: sim.now() };
    });
    expect(result.error).toBeUndefined();
    const { viaFetch, viaAxios, start, end } = result.value!;
    expect(viaFetch).toEqual({ name: 'Ada', at: start + 2000 });
    expect(viaAxios).toEqual({ name: 'Ada', at: start + 4000 });
    expect(end).toBe(4000);
    expect(result.trace.ofKind('http.response').map((e) => [e.t, e.actor, e.data.ms])).toEqual([
      [2000, 'msw', 2000],
      [4000, 'msw', 2000],
    ]);
  });

  it('sim.http routes take precedence over them', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('https://api.users.test/shadowed', () => Response.json({ from: 'sim.http' }));
      const routed = await (await fetch('https://api.users.test/shadowed')).json();
      const fallback = await (await fetch('https://api.users.test/user')).json();
      return { routed, fallback };
    });
    expect(result.value).toMatchObject({ routed: { from: 'sim.http' }, fallback: { name: 'Ada' } });
  });

  it('what they do not answer (no handler, bypass, passthrough) is refused and never reaches the network', async () => {
    const before = real.connections;
    const url = `http://127.0.0.1:${real.port}/x`;
    const result = await simulate({ seed: 1 }, async () => {
      const noHandler = await fetch(url).catch(cause);
      const bypassed = await fetch(bypass(url)).catch(cause);
      const passedThrough = await fetch('https://api.users.test/pass').catch(cause);
      const viaNodeHttp = await new Promise((resolve) => {
        http.get(url, () => resolve('answered')).on('error', resolve);
      });
      return { noHandler, bypassed, passedThrough, viaNodeHttp };
    });
    for (const [name, error] of Object.entries(result.value!)) {
      expect(UnmatchedRequestError.is(error), name).toBe(true);
    }
    expect((result.value!.noHandler as Error).message).toContain('no listening msw handler answers it');
    expect(real.connections).toBe(before);
  });

  it("the openai SDK's default retries through them do not hang", async () => {
    openaiCalls = 0;
    const result = await simulate({ seed: 5 }, async (sim) => {
      const client = new OpenAI({ apiKey: 'k', baseURL: 'https://api.openai.test/v1' });
      const reply = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
      });
      return { content: reply.choices[0]!.message.content, at: sim.now() };
    });
    expect(result.error).toBeUndefined();
    expect(result.value!.content).toBe('hi');
    expect(openaiCalls).toBe(3);
    // Two backoffs, each min(0.5 s · 2^n, 8 s) minus up to 25% jitter, on virtual time.
    expect(result.value!.at).toBeGreaterThanOrEqual(375 + 750);
    expect(result.value!.at).toBeLessThanOrEqual(500 + 1000);
  });

  it("puts msw's own patches back exactly, and msw answers again after the run", async () => {
    const before = [
      globalThis.fetch,
      http.request,
      http.get,
      http.ClientRequest,
      globalThis.Headers,
      globalThis.Request,
    ];
    const result = await simulate({ seed: 1 }, async () => {
      expect(globalThis.fetch).not.toBe(before[0]);
      expect(http.request).not.toBe(before[1]);
      return 'ok';
    });
    expect(result.value).toBe('ok');
    expect([
      globalThis.fetch,
      http.request,
      http.get,
      http.ClientRequest,
      globalThis.Headers,
      globalThis.Request,
    ]).toEqual(before);
    const after = await (await fetch('https://api.users.test/shadowed')).json();
    expect(after).toEqual({ from: 'msw' });
  });

  it('same seed, same trace through msw handlers', async () => {
    const scenario = () =>
      simulate({ seed: 9 }, async () => {
        openaiCalls = 0;
        const client = new OpenAI({ apiKey: 'k', baseURL: 'https://api.openai.test/v1' });
        await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
      });
    const [a, b] = [await scenario(), await scenario()];
    expect(a.error).toBeUndefined();
    expect(a.trace.hash).toBe(b.trace.hash);
  });
});

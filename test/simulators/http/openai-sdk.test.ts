import { HttpResponse, http } from 'msw';
import OpenAI, { type APIConnectionError, type APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { UnmatchedRequestError } from '../../../src/errors/unmatched-request-error.js';
import type { SimulationResult } from '../../../src/index.js';
import type { HttpReply, HttpRequest, HttpTarget } from '../../../src/simulators/http/target.js';
import type { Sim } from '../../../src/simulators/sim.js';
import { type RouteFn, simulateHttp } from '../../support/simulate-http.js';

/*
 * The official openai SDK, unmodified and with default options, against simulated
 * services through the HTTP bridge. openai 6.x retries 408/409/429/≥500 and
 * connection errors twice (maxRetries 2); before a retry it waits `retry-after-ms`
 * when that parses as a number, else `retry-after`, else
 * min(0.5 s · 2^n, 8 s) · (1 − 0.25 · Math.random()).
 */

const BASE = 'https://api.openai.test/v1';
const LATENCY = 100;

function completion(content: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1735689600,
    model: 'gpt-test',
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content } }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  };
}

/** A simulated OpenAI endpoint: LATENCY ms per request, then the scripted reply for that attempt. */
function scripted(sim: Sim, replies: ((req: HttpRequest) => HttpReply)[]) {
  const seen: { at: number; retryCount: string | undefined }[] = [];
  const target: HttpTarget = {
    name: 'openai',
    async respond(request, { signal }) {
      seen.push({ at: sim.now(), retryCount: request.headers['x-stainless-retry-count'] });
      await sim.sleep(LATENCY, signal);
      const reply = replies[Math.min(seen.length - 1, replies.length - 1)]!;
      return reply(request);
    },
  };
  return { target, seen };
}

const rateLimited = (ms: number) => (): HttpReply => ({
  status: 429,
  headers: { 'retry-after-ms': String(ms), 'content-type': 'application/json' },
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
});
const ok = (content: string) => (): HttpReply => ({ status: 200, body: completion(content) });
const serverError = (): HttpReply => ({
  status: 500,
  body: { error: { message: 'The server had an error' } },
});

async function run<T>(
  body: (sim: Sim, route: RouteFn) => Promise<T>,
  seed = 1,
): Promise<SimulationResult<T>> {
  const result = await simulateHttp({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const ask = (client: OpenAI) =>
  client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });

describe('openai SDK on the virtual clock', () => {
  it('retries two 429s at the times retry-after-ms sets, then succeeds', async () => {
    const result = await run(async (sim, route) => {
      const { target, seen } = scripted(sim, [rateLimited(1500), rateLimited(2500), ok('hello')]);
      route(BASE, target);
      const client = new OpenAI({ apiKey: 'test', baseURL: BASE });
      const answer = await ask(client);
      return { content: answer.choices[0]!.message.content, seen, doneAt: sim.now() };
    });
    // attempt n+1 starts when attempt n's response arrived (start + LATENCY) plus retry-after-ms
    expect(result.value).toEqual({
      content: 'hello',
      seen: [
        { at: 0, retryCount: '0' },
        { at: 0 + LATENCY + 1500, retryCount: '1' },
        { at: 1600 + LATENCY + 2500, retryCount: '2' },
      ],
      doneAt: 4200 + LATENCY,
    });
    expect(result.trace.ofKind('http.response').map((e) => [e.t, e.data!.status])).toEqual([
      [100, 429],
      [1700, 429],
      [4300, 200],
    ]);
  });

  it('gives up after maxRetries with the SDK error class and status; backoff follows its formula', async () => {
    const result = await run(async (sim, route) => {
      const { target, seen } = scripted(sim, [serverError]);
      route(BASE, target);
      const client = new OpenAI({ apiKey: 'test', baseURL: BASE });
      try {
        await ask(client);
        return { error: undefined, seen };
      } catch (error) {
        return { error, seen };
      }
    });
    const { error, seen } = result.value!;
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toContain('The server had an error');
    expect(seen).toHaveLength(3);
    // default backoff before retry n (1-based): 0.5 s · 2^(n−1) · (1 − U[0, 0.25))
    const waits = [seen[1]!.at - seen[0]!.at - LATENCY, seen[2]!.at - seen[1]!.at - LATENCY];
    expect(waits[0]).toBeGreaterThan(375);
    expect(waits[0]).toBeLessThanOrEqual(500);
    expect(waits[1]).toBeGreaterThan(750);
    expect(waits[1]).toBeLessThanOrEqual(1000);
  });

  it('does not retry when the service says x-should-retry: false', async () => {
    const result = await run(async (sim, route) => {
      const { target, seen } = scripted(sim, [
        () => ({
          status: 429,
          headers: { 'x-should-retry': 'false' },
          body: { error: { code: 'insufficient_quota' } },
        }),
      ]);
      route(BASE, target);
      const error = await ask(new OpenAI({ apiKey: 'test', baseURL: BASE })).catch((e: unknown) => e);
      return { error, attempts: seen.length };
    });
    expect(result.value!.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(result.value!.attempts).toBe(1);
  });

  it('turns simulated connection resets into APIConnectionError after its retries', async () => {
    const result = await run(async (sim, route) => {
      let attempts = 0;
      route(BASE, {
        name: 'openai',
        async respond() {
          attempts++;
          await sim.sleep(LATENCY);
          throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
        },
      });
      const error = await ask(new OpenAI({ apiKey: 'test', baseURL: BASE })).catch((e: unknown) => e);
      return { error, attempts };
    });
    const error = result.value!.error as APIConnectionError;
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(result.value!.attempts).toBe(3);
    expect((error.cause as Error).cause).toMatchObject({ code: 'ECONNRESET' });
  });

  it('an unrouted base URL surfaces as an APIConnectionError naming the URL', async () => {
    const result = await run(async (_sim, route) => {
      route('https://api.other.test', () => new Response('x'));
      return ask(new OpenAI({ apiKey: 'test', baseURL: BASE, maxRetries: 0 })).catch((e: unknown) => e);
    });
    const error = result.value as APIConnectionError;
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    const cause = (error.cause as Error).cause;
    expect(UnmatchedRequestError.is(cause)).toBe(true);
    expect((cause as Error).message).toContain(`POST ${BASE}/chat/completions`);
  });

  it('streams a completion with chunks arriving at their virtual times', async () => {
    const result = await run(async (sim, route) => {
      route(BASE, {
        name: 'openai',
        async respond(request) {
          expect(JSON.parse(request.body!)).toMatchObject({ stream: true });
          await sim.sleep(300); // time to first byte
          return {
            status: 200,
            headers: { 'content-type': 'text/event-stream' },
            body: (async function* () {
              for (const [i, token] of ['Hel', 'lo', '!'].entries()) {
                if (i > 0) await sim.sleep(50);
                const chunk = {
                  id: 'chatcmpl-1',
                  object: 'chat.completion.chunk',
                  created: 1735689600,
                  model: 'gpt-test',
                  choices: [{ index: 0, delta: { content: token }, finish_reason: null }],
                };
                yield `data: ${JSON.stringify(chunk)}\n\n`;
              }
              yield 'data: [DONE]\n\n';
            })(),
          };
        },
      });
      const client = new OpenAI({ apiKey: 'test', baseURL: BASE });
      const stream = await client.chat.completions.create({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      const tokens: [number, string][] = [];
      for await (const chunk of stream) tokens.push([sim.now(), chunk.choices[0]!.delta.content ?? '']);
      return tokens;
    });
    expect(result.value).toEqual([
      [300, 'Hel'],
      [350, 'lo'],
      [400, '!'],
    ]);
  });

  it('works with msw handlers too: 429 then success', async () => {
    const result = await run(async (sim, route) => {
      let calls = 0;
      route(BASE, [
        http.post(`${BASE}/chat/completions`, () => {
          calls++;
          if (calls === 1)
            return HttpResponse.json(
              { error: { message: 'slow down' } },
              { status: 429, headers: { 'retry-after-ms': '750' } },
            );
          return HttpResponse.json(completion('from msw'));
        }),
      ]);
      const answer = await ask(new OpenAI({ apiKey: 'test', baseURL: BASE }));
      return [answer.choices[0]!.message.content, calls, sim.now()];
    });
    expect(result.value).toEqual(['from msw', 2, 750]);
  });

  it('a client created before the simulation is answered by the bridge as well', async () => {
    const client = new OpenAI({ apiKey: 'test', baseURL: BASE }); // holds the real fetch
    const result = await run(async (sim, route) => {
      const { target, seen } = scripted(sim, [rateLimited(1000), ok('early client')]);
      route(BASE, target);
      const answer = await ask(client);
      return [answer.choices[0]!.message.content, seen.map((s) => s.at)];
    });
    expect(result.value).toEqual(['early client', [0, 1100]]);
  });

  it('gives the same trace hash for the same seed, with seeded latency and SDK jitter', async () => {
    const scenario = async (sim: Sim, route: RouteFn) => {
      let n = 0;
      route(BASE, {
        name: 'openai',
        async respond(_request, { signal }) {
          await sim.sleep(sim.random.int(50, 500), signal);
          // no retry-after header: the SDK's own jittered backoff (Math.random, seeded in a run) decides
          return ++n % 3 === 0 ? ok(`answer ${n}`)() : serverError();
        },
      });
      const client = new OpenAI({ apiKey: 'test', baseURL: BASE });
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => ask(client)));
      return outcomes.map((o) =>
        o.status === 'fulfilled' ? o.value.choices[0]!.message.content : (o.reason as APIError).status,
      );
    };
    const a = await run(scenario, 11);
    const b = await run(scenario, 11);
    const c = await run(scenario, 12);
    expect(a.trace.ofKind('http.request').length).toBeGreaterThan(4);
    expect(b.trace.hash).toBe(a.trace.hash);
    expect(b.value).toEqual(a.value);
    expect(c.trace.hash).not.toBe(a.trace.hash);
    const checked = await simulateHttp({ seed: 11, checkDeterminism: true }, scenario);
    expect(checked.trace.hash).toBe(a.trace.hash);
  });
});

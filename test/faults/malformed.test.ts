import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors/service-error.js';
import { faults, type MalformedOptions } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../src/index.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const streamed = () => ({ ...ask(), stream: true as const });

const post = (body: unknown) => ({
  method: 'POST',
  url: 'https://api.test/v1/x',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const ask = (extra: Record<string, unknown> = {}) => ({
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

const settle = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (error: ServiceError) => ({ error }),
  );

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe('faults.malformed on a generic service', () => {
  const probe = (options: MalformedOptions) =>
    run(1, async (sim) => {
      let handled = 0;
      const s = sim.service('api', {
        latency: '40ms',
        faults: [faults.malformed(options)],
        handle: () => {
          handled++;
          return { answer: 42, items: ['a', 'b'] };
        },
      });
      const called = await settle(s.call(null));
      const calledAt = sim.now();
      const reply = await s.respond(post({}));
      return { called, calledAt, reply, repliedAt: sim.now(), handled };
    });

  it('truncated-json: the handler runs; call() rejects MALFORMED with the raw text; respond() sends half the JSON', async () => {
    const result = await probe({ rate: 1, kind: 'truncated-json' });
    const { called, calledAt, reply, repliedAt, handled } = result.value!;
    const full = JSON.stringify({ answer: 42, items: ['a', 'b'] });
    const half = full.slice(0, Math.floor(full.length / 2));
    expect(handled).toBe(2);
    expect(calledAt).toBe(40);
    const error = (called as { error: ServiceError }).error;
    expect(ServiceError.is(error)).toBe(true);
    expect(error.code).toBe('MALFORMED');
    expect(error.status).toBeUndefined();
    expect(error.isNetworkError).toBe(false);
    expect(error.fault).toBe('malformed');
    expect(error.body).toBe(half);
    expect(error.message).toContain('not valid JSON (truncated-json)');
    expect(repliedAt).toBe(80);
    expect(reply).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: half });
    expect(() => JSON.parse(reply.body as string)).toThrow(SyntaxError);
    expect(result.trace.ofKind('fault.injected').map((e) => [e.t, e.data])).toEqual([
      [0, { call: 0, fault: 'malformed', effect: 'malformed', kind: 'truncated-json', status: 200 }],
      [40, { call: 1, fault: 'malformed', effect: 'malformed', kind: 'truncated-json', status: 200 }],
    ]);
    expect(result.trace.ofKind('service.end').map((e) => [e.t, e.data])).toEqual([
      [40, { call: 0, outcome: 'error', latency: 40, fault: 'malformed', code: 'MALFORMED' }],
      [80, { call: 1, outcome: 'error', status: 200, latency: 40, fault: 'malformed' }],
    ]);
  });

  it('wrong-shape: call() resolves with the unexpected { data } envelope (SDKs do not validate shapes)', async () => {
    const result = await probe({ rate: 1, kind: 'wrong-shape' });
    const { called, reply } = result.value!;
    expect(called).toEqual({ value: { data: { answer: 42, items: ['a', 'b'] } } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body as string)).toEqual({ data: { answer: 42, items: ['a', 'b'] } });
    expect(result.trace.ofKind('service.end')[0]!.data).toEqual({
      call: 0,
      outcome: 'error',
      status: 200,
      latency: 40,
      fault: 'malformed',
    });
  });

  it('empty: an empty 200 body', async () => {
    const { called, reply } = (await probe({ rate: 1, kind: 'empty' })).value!;
    const error = (called as { error: ServiceError }).error;
    expect(error.code).toBe('MALFORMED');
    expect(error.body).toBe('');
    expect(error.message).toContain('(empty body)');
    expect(reply).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '' });
  });

  it('html with status 502: a proxy error page; call() rejects with the status and the page as body', async () => {
    const { called, reply, calledAt } = (await probe({ rate: 1, kind: 'html', status: 502 })).value!;
    const error = (called as { error: ServiceError }).error;
    expect(calledAt).toBe(40);
    expect(error.status).toBe(502);
    expect(error.code).toBe('SERVICE_ERROR');
    expect(error.body).toBe(NGINX_502);
    expect(error.headers).toEqual({ 'content-type': 'text/html; charset=utf-8' });
    expect(reply).toEqual({
      status: 502,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: NGINX_502,
    });
  });

  it('html with status 200: call() rejects MALFORMED', async () => {
    const { called, reply } = (await probe({ rate: 1, kind: 'html' })).value!;
    expect((called as { error: ServiceError }).error.code).toBe('MALFORMED');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<h1>An error occurred.</h1>');
  });

  it('a scalar value truncated still does not parse', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.service('n', {
        faults: [faults.malformed({ rate: 1, kind: 'truncated-json' })],
        handle: () => 12345,
      });
      return (await s.respond(post({}))).body as string;
    });
    expect(result.value).toBe('12,');
    expect(() => JSON.parse(result.value!)).toThrow(SyntaxError);
  });

  it('without kind, picks one per malformed call from the seeded stream', async () => {
    const body = async (sim: Sim) => {
      const s = sim.service('api', {
        faults: [faults.malformed({ rate: 0.5 })],
        handle: () => ({ ok: true }),
      });
      for (let i = 0; i < 80; i++) await settle(s.call(i));
    };
    const a = await run(5, body);
    const b = await run(5, body);
    const kinds = a.trace.ofKind('fault.injected').map((e) => e.data?.kind as string);
    expect(kinds.length).toBeGreaterThan(25);
    expect(kinds.length).toBeLessThan(55);
    expect(new Set(kinds)).toEqual(new Set(['truncated-json', 'wrong-shape', 'empty', 'html']));
    expect(b.trace.hash).toBe(a.trace.hash);
    expect(a.value).toBeUndefined();
  });
});

describe('faults.malformed on an LLM service', () => {
  it('OpenAI body: half of the real chat.completion JSON, at the usual time, with the usual headers', async () => {
    const result = await run(1, async (sim) => {
      const normal = sim.llm('normal', {
        provider: 'openai',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: () => 'a b c',
      });
      const bad = sim.llm('bad', {
        provider: 'openai',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: () => 'a b c',
        faults: [faults.malformed({ rate: 1, kind: 'truncated-json' })],
      });
      const good = await normal.respond(post(ask()));
      const start = sim.now();
      const reply = await bad.respond(post(ask()));
      return { good, reply, took: sim.now() - start };
    });
    const { good, reply, took } = result.value!;
    expect(took).toBe(400);
    expect(reply.status).toBe(200);
    expect(reply.headers['x-request-id']).toBe('req_bad_0');
    expect(reply.headers['x-ratelimit-remaining-requests']).toBe('9999');
    const full = (good.body as string).replace('"chatcmpl-normal_0"', '"chatcmpl-bad_0"');
    expect(reply.body).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(() => JSON.parse(reply.body as string)).toThrow(SyntaxError);
  });

  it('wrong-shape: OpenAI loses choices, Anthropic loses content; call() returns it as is', async () => {
    const result = await run(1, async (sim) => {
      const fault = [faults.malformed({ rate: 1, kind: 'wrong-shape' })];
      const openai = sim.llm('openai', { provider: 'openai', ttft: '10ms', faults: fault });
      const claude = sim.llm('claude', { provider: 'anthropic', ttft: '10ms', faults: fault });
      return { openai: await openai.call(ask()), claude: await claude.call(ask()) };
    });
    const { openai, claude } = result.value!;
    expect(Object.keys(openai).sort()).toEqual([
      'created',
      'id',
      'model',
      'object',
      'system_fingerprint',
      'usage',
    ]);
    expect(openai.choices).toBeUndefined();
    expect(claude).toMatchObject({ id: 'msg_claude_0', type: 'message', stop_reason: 'end_turn' });
    expect(claude.content).toBeUndefined();
  });

  it('call() rejects MALFORMED for a body that does not parse; a 502 page over a stream request answers at ttft', async () => {
    const result = await run(1, async (sim) => {
      const a = sim.llm('a', {
        provider: 'anthropic',
        ttft: '100ms',
        faults: [faults.malformed({ rate: 1, kind: 'empty' })],
      });
      const error = (await a.call(ask()).catch((e) => e)) as ServiceError;
      const b = sim.llm('b', {
        provider: 'openai',
        ttft: '100ms',
        faults: [faults.malformed({ rate: 1, kind: 'html', status: 502 })],
      });
      const start = sim.now();
      const reply = await b.respond(post(ask({ stream: true })));
      const replyAt = sim.now() - start;
      const streamError = (await b.call(ask({ stream: true })).catch((e) => e)) as ServiceError;
      return { error, reply, replyAt, streamError };
    });
    const { error, reply, replyAt, streamError } = result.value!;
    expect(error.code).toBe('MALFORMED');
    expect(error.body).toBe('');
    expect(error.headers['request-id']).toBe('req_a_0');
    expect(replyAt).toBe(100);
    expect(reply).toEqual({
      status: 502,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: NGINX_502,
    });
    expect(streamError.status).toBe(502);
    expect(streamError.body).toBe(NGINX_502);
  });

  it('stream truncated-json: the first content event does not parse; the rest arrives on time', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('s', {
        provider: 'openai',
        ttft: '100ms',
        tokensPerSecond: 10,
        respond: () => 'one two three',
        faults: [faults.malformed({ rate: 1, kind: 'truncated-json' })],
      });
      const reply = await s.respond(post(ask({ stream: true })));
      const events: [number, string][] = [];
      for await (const chunk of reply.body as AsyncIterable<string>) events.push([sim.now(), chunk]);
      const parsed: unknown[] = [];
      let error: ServiceError | undefined;
      try {
        for await (const chunk of await s.call(streamed())) parsed.push(chunk);
      } catch (e) {
        error = e as ServiceError;
      }
      return { events, parsed, error, at: sim.now() };
    });
    const { events, parsed, error, at } = result.value!;
    expect(events.map(([t]) => t)).toEqual([100, 100, 200, 300, 300, 300]);
    const data = events.map(([, chunk]) => /^data: (.*)$/m.exec(chunk)![1]!);
    expect(() => JSON.parse(data[1]!)).toThrow(SyntaxError);
    expect(JSON.parse(data[2]!).choices[0].delta.content).toBe(' two');
    expect(data[5]).toBe('[DONE]');
    // call({ stream: true }): the prelude chunk, then MALFORMED at the broken chunk (second call starts at 300)
    expect(parsed).toHaveLength(1);
    expect(error?.code).toBe('MALFORMED');
    expect(error?.fault).toBe('malformed');
    expect(at).toBe(400);
    expect(result.trace.ofKind('service.end').map((e) => [e.t, e.data?.outcome, e.data?.fault])).toEqual([
      [300, 'error', 'malformed'],
      [400, 'error', 'malformed'],
    ]);
  });

  it('stream empty: a 200 event stream with no events, ended at ttft', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('s', {
        provider: 'anthropic',
        ttft: '150ms',
        faults: [faults.malformed({ rate: 1, kind: 'empty' })],
      });
      const reply = await s.respond(post(ask({ stream: true })));
      const chunks: unknown[] = [];
      for await (const chunk of reply.body as AsyncIterable<string>) chunks.push(chunk);
      return { status: reply.status, type: reply.headers['content-type'], chunks, at: sim.now() };
    });
    expect(result.value).toEqual({
      status: 200,
      type: 'text/event-stream; charset=utf-8',
      chunks: [],
      at: 150,
    });
  });

  it('stream wrong-shape (Anthropic): the first content_block_delta has no delta', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('s', {
        provider: 'anthropic',
        ttft: '100ms',
        respond: () => 'x y',
        faults: [faults.malformed({ rate: 1, kind: 'wrong-shape' })],
      });
      const events: unknown[] = [];
      for await (const event of await s.call(streamed())) events.push(event);
      return events;
    });
    const events = result.value! as { type: string; delta?: unknown }[];
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[2]).toEqual({ type: 'content_block_delta', index: 0 });
    expect(events[3]!.delta).toEqual({ type: 'text_delta', text: ' y' });
  });
});

import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../src/errors/service-error.js';
import { type Fault, faults } from '../../../src/faults/index.js';
import { ConfigError, dist, type Sim, type SimulationResult, simulate } from '../../../src/index.js';
import { classifyError } from '../../../src/resilience/classify-error.js';
import { createLlmService, type LlmServiceOptions } from '../../../src/simulators/llm/llm-service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

function llm<P extends 'openai' | 'anthropic'>(sim: Sim, name: string, options: LlmServiceOptions<P>) {
  const ctx = {
    clock: sim.clock,
    random: sim.rootRandom.fork(`service:${name}`),
    trace: sim.trace,
    epoch: Date.now() - sim.now(),
  };
  return createLlmService(ctx, name, options);
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'test-model',
  messages: [{ role: 'user', content }],
  ...extra,
});

const http = (body: unknown) => ({
  method: 'POST',
  url: 'https://api.test/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Reads an SSE body, noting the virtual time each chunk arrived. */
async function readSse(sim: Sim, body: unknown): Promise<{ t: number; event?: string; data: string }[]> {
  const out: { t: number; event?: string; data: string }[] = [];
  for await (const chunk of body as AsyncIterable<string>) {
    const event = /^event: (.*)$/m.exec(chunk)?.[1];
    const data = /^data: (.*)$/m.exec(chunk)![1]!;
    out.push(event === undefined ? { t: sim.now(), data } : { t: sim.now(), event, data });
  }
  return out;
}

const FIVE_WORDS = () => 'one two three four five';

describe('createLlmService: non-streamed', () => {
  it('answers an OpenAI chat.completions body after ttft + (tokens − 1) token gaps', async () => {
    const result = await run(1, async (sim) => {
      const openai = llm(sim, 'openai', {
        provider: 'openai',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: FIVE_WORDS,
      });
      const completion = await openai.call(ask('count to five'));
      return { completion, at: sim.now() };
    });
    const { completion, at } = result.value!;
    expect(at).toBe(200 + 4 * 100);
    expect(completion).toMatchObject({
      id: 'chatcmpl-openai_0',
      object: 'chat.completion',
      model: 'test-model',
      created: Date.UTC(2025, 0, 1) / 1000,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'one two three four five' },
          finish_reason: 'stop',
        },
      ],
      usage: { completion_tokens: 5 },
    });
    expect(completion.usage.total_tokens).toBe(completion.usage.prompt_tokens + 5);
    expect(result.trace.ofKind('service.end')[0]!.data).toEqual({
      call: 0,
      outcome: 'ok',
      status: 200,
      latency: 600,
    });
  });

  it('answers an Anthropic messages body, cut by max_tokens', async () => {
    const result = await run(1, async (sim) => {
      const claude = llm(sim, 'claude', { provider: 'anthropic', ttft: '100ms', respond: FIVE_WORDS });
      return {
        full: await claude.call(ask('hi', { max_tokens: 100 })),
        cut: await claude.call(ask('hi', { max_tokens: 2 })),
      };
    });
    const { full, cut } = result.value!;
    expect(full).toMatchObject({
      id: 'msg_claude_0',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'one two three four five' }],
      stop_reason: 'end_turn',
      usage: { output_tokens: 5 },
    });
    expect(cut.content[0]).toEqual({ type: 'text', text: 'one two' });
    expect(cut.stop_reason).toBe('max_tokens');
  });

  it('respond() gives the same body as JSON over HTTP', async () => {
    const result = await run(1, async (sim) => {
      const openai = llm(sim, 'openai', { provider: 'openai', ttft: '50ms', respond: () => 'hello world' });
      return openai.respond(http(ask('hi')));
    });
    const reply = result.value!;
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['x-request-id']).toBe('req_openai_0');
    expect(JSON.parse(reply.body as string).choices[0].message.content).toBe('hello world');
  });

  it('uses the default ttft distribution deterministically per seed', async () => {
    const body = async (sim: Sim) => {
      const claude = llm(sim, 'claude', {
        provider: 'anthropic',
        ttft: dist.lognormal({ median: '300ms', p99: '3s' }),
      });
      const ends: number[] = [];
      for (let i = 0; i < 10; i++) {
        await claude.call(ask(`q${i}`));
        ends.push(sim.now());
      }
      return ends;
    };
    const a = await run(8, body);
    const b = await run(8, body);
    const c = await run(9, body);
    expect(b.trace.hash).toBe(a.trace.hash);
    expect(c.value).not.toEqual(a.value);
  });
});

describe('createLlmService: provider-shaped errors', () => {
  const failWith = async (provider: 'openai' | 'anthropic', fault: Fault) =>
    (
      await run(1, async (sim) => {
        const s = llm(sim, provider, { provider, ttft: '10ms', faults: [fault] });
        await sim.sleep(2_500);
        const error = (await s.call(ask('hi')).catch((e) => e)) as ServiceError;
        const reply = await s.respond(http(ask('hi')));
        return { error, reply };
      })
    ).value!;

  it('OpenAI 429: rate-limit headers and an OpenAI error body', async () => {
    const { error, reply } = await failWith('openai', faults.rateLimit({ limit: 0, per: '10s' }));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.status).toBe(429);
    expect(error.headers).toMatchObject({
      'retry-after': '8',
      'x-ratelimit-limit-requests': '0',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '7.5s',
    });
    expect(error.body).toEqual({
      error: { message: 'Rate limit exceeded', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    expect(reply.status).toBe(429);
    expect(reply.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(JSON.parse(reply.body as string).error.code).toBe('rate_limit_exceeded');
  });

  it('Anthropic 429: anthropic-ratelimit-* headers and a rate_limit_error body', async () => {
    const { error } = await failWith('anthropic', faults.rateLimit({ limit: 0, per: '1m' }));
    expect(error.status).toBe(429);
    expect(error.headers).toMatchObject({
      'retry-after': '58',
      'anthropic-ratelimit-requests-limit': '0',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2025-01-01T00:01:00.000Z',
    });
    expect(error.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('529 overloaded_error (Anthropic)', async () => {
    const { error } = await failWith('anthropic', faults.overloaded());
    expect(error.status).toBe(529);
    expect(error.body).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(classifyError(error, 0)).toMatchObject({ kind: 'rate-limited', reason: 'overloaded' });
  });

  it('insufficient_quota (OpenAI): 429, x-should-retry false, not retryable', async () => {
    const { error } = await failWith('openai', faults.errors({ rate: 1, error: 'insufficient_quota' }));
    expect(error.status).toBe(429);
    expect(error.headers['x-should-retry']).toBe('false');
    expect(error.headers['x-ratelimit-remaining-requests']).toBeUndefined();
    expect(error.body).toMatchObject({ error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(classifyError(error, 0).kind).toBe('permanent');
  });

  it('5xx (OpenAI): server_error body', async () => {
    const { error } = await failWith('openai', faults.errors({ rate: 1, status: 503 }));
    expect(error.status).toBe(503);
    expect(error.body).toEqual({
      error: { message: 'Service Unavailable', type: 'server_error', param: null, code: null },
    });
  });

  it('network faults reject respond() with a code and no status', async () => {
    const result = await run(1, async (sim) => {
      const s = llm(sim, 'openai', { provider: 'openai', ttft: '10ms', faults: [faults.reset()] });
      return (await s.respond(http(ask('hi'))).catch((e) => e)) as ServiceError;
    });
    expect(result.value!.code).toBe('ECONNRESET');
    expect(result.value!.status).toBeUndefined();
  });

  it('a body that is not JSON gets a provider-shaped 400', async () => {
    const result = await run(1, async (sim) => {
      const s = llm(sim, 'claude', { provider: 'anthropic', ttft: '10ms' });
      return s.respond(http('{not json'));
    });
    expect(result.value!.status).toBe(400);
    expect(JSON.parse(result.value!.body as string)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'the request body is not valid JSON' },
    });
  });
});

describe('createLlmService: streaming', () => {
  it('OpenAI: chunks on the virtual clock at ttft + k / tokensPerSecond, then [DONE]', async () => {
    const result = await run(1, async (sim) => {
      const s = llm(sim, 'openai', {
        provider: 'openai',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: FIVE_WORDS,
      });
      const reply = await s.respond(http(ask('go', { stream: true })));
      return {
        status: reply.status,
        headers: reply.headers,
        at: sim.now(),
        events: await readSse(sim, reply.body),
      };
    });
    const { status, headers, at, events } = result.value!;
    expect(status).toBe(200);
    expect(at).toBe(200);
    expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const content = events
      .filter((e) => e.data !== '[DONE]')
      .map((e) => ({ t: e.t, content: JSON.parse(e.data).choices[0].delta.content }));
    expect(content).toEqual([
      { t: 200, content: '' },
      { t: 200, content: 'one' },
      { t: 300, content: ' two' },
      { t: 400, content: ' three' },
      { t: 500, content: ' four' },
      { t: 600, content: ' five' },
      { t: 600, content: undefined },
    ]);
    expect(JSON.parse(events[6]!.data).choices[0].finish_reason).toBe('stop');
    expect(events[7]).toEqual({ t: 600, data: '[DONE]' });
    expect(result.trace.ofKind('service.end')[0]).toMatchObject({
      t: 600,
      data: { call: 0, outcome: 'ok', status: 200, latency: 600 },
    });
  });

  it('Anthropic: message_start … message_stop', async () => {
    const result = await run(1, async (sim) => {
      const s = llm(sim, 'claude', {
        provider: 'anthropic',
        ttft: '100ms',
        tokensPerSecond: 20,
        respond: () => 'a b',
      });
      const reply = await s.respond(http(ask('go', { stream: true, max_tokens: 50 })));
      return readSse(sim, reply.body);
    });
    expect(result.value!.map((e) => [e.t, e.event])).toEqual([
      [100, 'message_start'],
      [100, 'content_block_start'],
      [100, 'ping'],
      [100, 'content_block_delta'],
      [150, 'content_block_delta'],
      [150, 'content_block_stop'],
      [150, 'message_delta'],
      [150, 'message_stop'],
    ]);
    const delta = JSON.parse(result.value![6]!.data);
    expect(delta).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 2 },
    });
  });

  it('streamError: an in-band error event after N content chunks, then the end', async () => {
    const result = await run(1, async (sim) => {
      const openai = llm(sim, 'openai', {
        provider: 'openai',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: FIVE_WORDS,
        faults: [faults.streamError({ afterChunks: 2 })],
      });
      const claude = llm(sim, 'claude', {
        provider: 'anthropic',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: FIVE_WORDS,
        faults: [faults.streamError({ afterChunks: 2, error: 'api_error' })],
      });
      return {
        openai: await readSse(sim, (await openai.respond(http(ask('go', { stream: true })))).body),
        claude: await readSse(sim, (await claude.respond(http(ask('go', { stream: true })))).body),
      };
    });
    const { openai, claude } = result.value!;
    expect(openai.map((e) => e.t)).toEqual([200, 200, 300, 400]);
    expect(JSON.parse(openai[3]!.data)).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: null },
    });
    // claude's call starts at 400 (after openai's stream ended): first token at 600
    expect(claude.slice(-3).map((e) => [e.t, e.event])).toEqual([
      [600, 'content_block_delta'],
      [700, 'content_block_delta'],
      [800, 'error'],
    ]);
    expect(JSON.parse(claude.at(-1)!.data)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'Internal server error' },
    });
    const ends = result.trace
      .ofKind('service.end')
      .map((e) => [e.actor, e.t, e.data?.outcome, e.data?.fault]);
    expect(ends).toEqual([
      ['openai', 400, 'error', 'streamError'],
      ['claude', 800, 'error', 'streamError'],
    ]);
  });

  it('truncate: ends when the next chunk was due, without the terminal event', async () => {
    const result = await run(1, async (sim) => {
      const s = llm(sim, 'openai', {
        provider: 'openai',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: FIVE_WORDS,
        faults: [faults.truncate({ afterChunks: 3 })],
      });
      const events = await readSse(sim, (await s.respond(http(ask('go', { stream: true })))).body);
      return { events, endedAt: sim.now() };
    });
    const { events, endedAt } = result.value!;
    expect(events.map((e) => JSON.parse(e.data).choices[0].delta.content)).toEqual([
      '',
      'one',
      ' two',
      ' three',
    ]);
    expect(endedAt).toBe(500);
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
  });

  it('stall: stops after N chunks and never ends; an abort ends it at once', async () => {
    const result = await run(1, async (sim) => {
      const s = llm(sim, 'claude', {
        provider: 'anthropic',
        ttft: '200ms',
        tokensPerSecond: 10,
        respond: FIVE_WORDS,
        faults: [faults.stall({ afterChunks: 1 })],
      });
      const controller = new AbortController();
      const reply = await s.respond(http(ask('go', { stream: true })), { signal: controller.signal });
      const seen: (string | undefined)[] = [];
      const reading = (async () => {
        for await (const chunk of reply.body as AsyncIterable<string>)
          seen.push(/^event: (.*)$/m.exec(chunk)?.[1]);
      })().catch((e: unknown) => ({ error: e, at: sim.now() }));
      await sim.sleep(10_000);
      const before = seen.length;
      controller.abort(new Error('idle timeout'));
      const outcome = (await reading) as { error: Error; at: number };
      return { seen, before, error: outcome.error.message, at: outcome.at };
    });
    expect(result.value).toEqual({
      seen: ['message_start', 'content_block_start', 'ping', 'content_block_delta'],
      before: 4,
      error: 'idle timeout',
      at: 10_200,
    });
    expect(result.trace.ofKind('service.end')[0]).toMatchObject({ t: 10_200, data: { outcome: 'aborted' } });
  });

  it('cancelling the body ends a stalled stream at once', async () => {
    const result = await run(1, async (sim) => {
      const s = llm(sim, 'openai', {
        provider: 'openai',
        ttft: '100ms',
        respond: FIVE_WORDS,
        faults: [faults.stall({ afterChunks: 0 })],
      });
      const reply = await s.respond(http(ask('go', { stream: true })));
      const iterator = (reply.body as AsyncIterable<string>)[Symbol.asyncIterator]();
      await iterator.next();
      const pending = iterator.next();
      await sim.sleep(1_000);
      await iterator.return!();
      return { done: (await pending).done, at: sim.now() };
    });
    expect(result.value).toEqual({ done: true, at: 1_100 });
    expect(result.trace.ofKind('service.end')[0]).toMatchObject({ t: 1_100, data: { outcome: 'aborted' } });
  });

  it('call({ stream: true }) yields parsed chunks and throws on an in-band error', async () => {
    const result = await run(1, async (sim) => {
      const ok = llm(sim, 'ok', { provider: 'anthropic', ttft: '100ms', respond: () => 'x y' });
      const types: string[] = [];
      for await (const event of await ok.call({ messages: [{ role: 'user', content: 'go' }], stream: true }))
        types.push(event.type);
      const bad = llm(sim, 'bad', {
        provider: 'openai',
        ttft: '100ms',
        respond: FIVE_WORDS,
        faults: [faults.streamError({ afterChunks: 1 })],
      });
      const contents: unknown[] = [];
      let error: unknown;
      try {
        for await (const chunk of await bad.call({
          messages: [{ role: 'user', content: 'go' }],
          stream: true,
        })) {
          contents.push(chunk.choices[0]?.delta.content);
        }
      } catch (e) {
        error = e;
      }
      return { types, contents, error: error as ServiceError };
    });
    const { types, contents, error } = result.value!;
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(contents).toEqual(['', 'one']);
    expect(ServiceError.is(error)).toBe(true);
    expect(error.code).toBe('STREAM_ERROR');
    expect(error.fault).toBe('streamError');
    expect(error.status).toBeUndefined();
  });

  it('stream faults apply with their rate, deterministically per seed', async () => {
    const body = async (sim: Sim) => {
      const s = llm(sim, 'openai', {
        provider: 'openai',
        ttft: '10ms',
        respond: FIVE_WORDS,
        faults: [faults.truncate({ afterChunks: 1, rate: 0.5 })],
      });
      const complete: boolean[] = [];
      for (let i = 0; i < 40; i++) {
        const events = await readSse(sim, (await s.respond(http(ask('go', { stream: true })))).body);
        complete.push(events.at(-1)?.data === '[DONE]');
      }
      return complete;
    };
    const a = await run(3, body);
    const b = await run(3, body);
    const truncated = a.value!.filter((c) => !c).length;
    expect(truncated).toBeGreaterThan(10);
    expect(truncated).toBeLessThan(30);
    expect(b.value).toEqual(a.value);
    expect(b.trace.hash).toBe(a.trace.hash);
  });
});

describe('createLlmService: options', () => {
  it('rejects bad options with ConfigError', async () => {
    const result = await run(1, async (sim) => {
      const attempt = (options: any) => {
        try {
          llm(sim, 'x', options);
          return 'no error';
        } catch (e) {
          return ConfigError.is(e) ? e.message : String(e);
        }
      };
      return [
        attempt({ provider: 'gemini' }),
        attempt({ provider: 'openai', tokensPerSecond: 0 }),
        attempt({ provider: 'openai', ttft: 'quick' }),
      ];
    });
    expect(result.value).toEqual([
      `llm("x")({ provider }): got "gemini"; expected 'openai' or 'anthropic'`,
      'llm("x")({ tokensPerSecond }): got 0; expected a finite number > 0',
      expect.stringContaining('llm("x")({ latency }): got "quick"'),
    ]);
  });
});

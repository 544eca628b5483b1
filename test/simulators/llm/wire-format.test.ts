import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../src/errors/service-error.js';
import { type Fault, faults } from '../../../src/faults/index.js';
import { ConfigError, type Sim, simulate } from '../../../src/index.js';
import { anthropic } from '../../../src/simulators/llm/anthropic.js';
import { createLlmEndpoint } from '../../../src/simulators/llm/llm-endpoint.js';
import { createLlmService } from '../../../src/simulators/llm/llm-service.js';
import { openai } from '../../../src/simulators/llm/openai.js';
import { LLM_PROVIDERS, llmWireFormat } from '../../../src/simulators/llm/providers.js';
import { quotaWindow } from '../../../src/simulators/llm/quota.js';
import { type LlmWireFormat, withoutKeys } from '../../../src/simulators/llm/wire-format.js';

/** A third provider, written only against the interface: the proof that one new object is enough. */
const ECHO_LIMITS = { requests: 100, tokens: 1000 };
const echo: LlmWireFormat<{ id: string; model: string; reply: string }, { piece?: string; id?: string }> = {
  name: 'echo',
  defaultModel: 'echo-1',
  idPrefix: { completion: 'echo-', toolCall: 'tool-' },
  requestIdHeader: 'echo-request-id',
  limits: ECHO_LIMITS,
  successBody: (c) => ({ id: c.id, model: c.model, reply: c.tokens.join('') }),
  streamEvents: (c) => ({
    prelude: [{ event: 'start', data: { id: c.id } }],
    token: (text) => ({ data: { piece: text } }),
    terminal: [{ event: 'end', data: { finish: c.finish } }],
    error: (type, message) => ({ event: 'oops', data: { problem: type, message }, error: true }),
  }),
  rateLimitHeaders: (q) => ({ 'echo-remaining': String(quotaWindow(ECHO_LIMITS, q).remaining) }),
  errorHeaders: (effect): Record<string, string> => (effect.status === 429 ? { 'echo-limited': 'yes' } : {}),
  errorBody: (effect, requestId) => ({ problem: effect.errorType, requestId }),
  wrongShape: (data) => withoutKeys(data, ['reply', 'piece']),
};

async function run<T>(body: (sim: Sim) => Promise<T>): Promise<{ value: T; hash: string }> {
  const result = await simulate({ seed: 3 }, body);
  if (result.error) throw result.error;
  return { value: result.value as T, hash: result.trace.hash };
}

function endpoint(sim: Sim, fault?: Fault) {
  const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:e'), trace: sim.trace };
  return createLlmEndpoint(
    ctx,
    'e',
    { ttft: '100ms', tokensPerSecond: 10, respond: () => 'one two three', faults: fault ? [fault] : [] },
    echo,
  );
}

const ask = { messages: [{ role: 'user', content: 'hi' }] };
const http = (body: unknown) => ({
  method: 'POST',
  url: 'https://echo.test/v1',
  headers: {},
  body: JSON.stringify(body),
});

describe('a third wire format through the same serving path', () => {
  it('serves a JSON call and its HTTP reply in the format, with its ids, model and headers', async () => {
    const { value } = await run(async (sim) => {
      const llm = endpoint(sim);
      const body = await llm.call(ask);
      const at = sim.now();
      const reply = await llm.respond(http(ask));
      return { body, at, reply, provider: llm.provider };
    });
    expect(value.provider).toBe('echo');
    // ttft 100 ms, then 2 more tokens at 100 ms each
    expect(value.at).toBe(300);
    expect(value.body).toEqual({ id: 'echo-e_0', model: 'echo-1', reply: 'one two three' });
    expect(value.reply.status).toBe(200);
    expect(value.reply.headers).toEqual({
      'content-type': 'application/json',
      'echo-request-id': 'req_e_1',
      'echo-remaining': '99',
    });
    expect(JSON.parse(value.reply.body as string)).toEqual({
      id: 'echo-e_1',
      model: 'echo-1',
      reply: 'one two three',
    });
  });

  it('shapes a fault error in the format', async () => {
    const { value } = await run(async (sim) => {
      const llm = endpoint(sim, faults.errors({ rate: 1, status: 429 }));
      const error = await llm.call(ask).catch((e: unknown) => e);
      const reply = await llm.respond(http(ask));
      return { error, reply };
    });
    expect(ServiceError.is(value.error)).toBe(true);
    const error = value.error as ServiceError;
    expect(error.status).toBe(429);
    expect(error.headers?.['echo-request-id']).toBe('req_e_0');
    expect(error.headers?.['echo-limited']).toBe('yes');
    expect(error.body).toEqual({ problem: 'rate_limit_error', requestId: 'req_e_0' });
    expect(value.reply.status).toBe(429);
    expect(JSON.parse(value.reply.body as string)).toEqual({
      problem: 'rate_limit_error',
      requestId: 'req_e_1',
    });
  });

  it('serves malformed replies in the format: wrong-shape drops its fields, truncated JSON does not parse', async () => {
    const { value } = await run(async (sim) => {
      const wrong = endpoint(sim, faults.malformed({ rate: 1, kind: 'wrong-shape' }));
      const called = await wrong.call(ask);
      const replied = await wrong.respond(http(ask));
      const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:t'), trace: sim.trace };
      const truncated = createLlmEndpoint(
        ctx,
        't',
        { respond: () => 'one two', faults: [faults.malformed({ rate: 1, kind: 'truncated-json' })] },
        echo,
      );
      const error = await truncated.call(ask).catch((e: unknown) => e);
      return { called, replied, error };
    });
    expect(value.called).toEqual({ id: 'echo-e_0', model: 'echo-1' });
    expect(value.replied.status).toBe(200);
    expect(JSON.parse(value.replied.body as string)).toEqual({ id: 'echo-e_1', model: 'echo-1' });
    expect((value.error as ServiceError).code).toBe('MALFORMED');
  });

  it('streams the format: parsed chunks on the clock from call(), SSE frames from respond()', async () => {
    const { value } = await run(async (sim) => {
      const llm = endpoint(sim);
      const chunks: { t: number; chunk: unknown }[] = [];
      for await (const chunk of await llm.call({ ...ask, stream: true }))
        chunks.push({ t: sim.now(), chunk });
      const reply = await llm.respond(http({ ...ask, stream: true }));
      const frames: string[] = [];
      for await (const frame of reply.body as AsyncIterable<string>) frames.push(frame);
      return { chunks, headers: reply.headers, frames };
    });
    expect(value.chunks).toEqual([
      { t: 100, chunk: { id: 'echo-e_0' } },
      { t: 100, chunk: { piece: 'one' } },
      { t: 200, chunk: { piece: ' two' } },
      { t: 300, chunk: { piece: ' three' } },
      { t: 300, chunk: { finish: 'stop' } },
    ]);
    expect(value.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'echo-request-id': 'req_e_1',
    });
    expect(value.frames).toEqual([
      'event: start\ndata: {"id":"echo-e_1"}\n\n',
      'data: {"piece":"one"}\n\n',
      'data: {"piece":" two"}\n\n',
      'data: {"piece":" three"}\n\n',
      'event: end\ndata: {"finish":"stop"}\n\n',
    ]);
  });

  it("ends a stream with the format's in-band error event", async () => {
    const { value } = await run(async (sim) => {
      const llm = endpoint(sim, faults.streamError({ afterChunks: 1, rate: 1 }));
      const seen: unknown[] = [];
      try {
        for await (const chunk of await llm.call({ ...ask, stream: true })) seen.push(chunk);
      } catch (error) {
        return { seen, error };
      }
      return { seen, error: undefined };
    });
    expect(value.seen).toEqual([{ id: 'echo-e_0' }, { piece: 'one' }]);
    expect((value.error as ServiceError).code).toBe('STREAM_ERROR');
    expect((value.error as ServiceError).body).toEqual({
      problem: 'overloaded_error',
      message: 'Overloaded',
    });
  });

  it('is deterministic: the same seed gives the same trace hash', async () => {
    const scenario = async (sim: Sim) => {
      const llm = endpoint(sim, faults.errors({ rate: 0.5, status: 503 }));
      const out: unknown[] = [];
      for (let i = 0; i < 6; i++) out.push(await llm.call(ask).catch((e: ServiceError) => e.status));
      return out;
    };
    const a = await run(scenario);
    const b = await run(scenario);
    expect(a.hash).toBe(b.hash);
    expect(a.value).toEqual(b.value);
  });
});

describe('the provider registry', () => {
  it('maps each provider option value to its format object', () => {
    expect(llmWireFormat('openai')).toBe(openai);
    expect(llmWireFormat('anthropic')).toBe(anthropic);
    expect(llmWireFormat('toString')).toBeUndefined();
    expect(llmWireFormat(undefined)).toBeUndefined();
    for (const [name, format] of Object.entries(LLM_PROVIDERS)) expect(format.name).toBe(name);
  });

  it('refuses a provider that is not registered, naming the registered ones', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const ctx = { clock: sim.clock, random: sim.rootRandom, trace: sim.trace };
      let error: unknown;
      try {
        createLlmService(ctx, 'x', { provider: 'echo' as 'openai' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain("'openai' or 'anthropic'");
    });
    expect(result.error).toBeUndefined();
  });

  it('keeps provider names out of the LLM service: no comparison with a provider name outside its own file', () => {
    const dir = join(__dirname, '../../../src/simulators/llm');
    const own = new Set(['openai.ts', 'anthropic.ts', 'providers.ts']);
    const offenders: string[] = [];
    for (const file of readdirSync(dir)) {
      if (own.has(file) || !file.endsWith('.ts')) continue;
      const code = readFileSync(join(dir, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const m of code.matchAll(
        /[!=]==?\s*['"`](openai|anthropic)['"`]|['"`](openai|anthropic)['"`]\s*[!=]==?/g,
      )) {
        offenders.push(`${file}: ${m[0]}`);
      }
      for (const m of code.matchAll(/case\s+['"`](openai|anthropic)['"`]/g))
        offenders.push(`${file}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });
});

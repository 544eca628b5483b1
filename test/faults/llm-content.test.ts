import { describe, expect, it } from 'vitest';
import { type Fault, faults } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../src/index.js';
import type { LlmProvider } from '../../src/simulators/llm/llm-service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const ask = (extra: Record<string, unknown> = {}) => ({
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

const post = (body: unknown) => ({
  method: 'POST',
  url: 'https://api.test/v1/x',
  headers: {},
  body: JSON.stringify(body),
});

const FIVE = () => 'one two three four five';

/** A 10 tokens/s LLM with 100 ms to first token and one fault. */
function model<P extends LlmProvider>(sim: Sim, name: string, provider: P, fault: Fault) {
  return sim.llm(name, { provider, ttft: '100ms', tokensPerSecond: 10, respond: FIVE, faults: [fault] });
}

/** SSE events of a streamed respond(), with arrival times. */
async function sse(sim: Sim, body: unknown) {
  const out: { t: number; event?: string; data: any }[] = [];
  for await (const chunk of body as AsyncIterable<string>) {
    const event = /^event: (.*)$/m.exec(chunk)?.[1];
    const raw = /^data: (.*)$/m.exec(chunk)![1]!;
    const data = raw === '[DONE]' ? raw : JSON.parse(raw);
    out.push(event === undefined ? { t: sim.now(), data } : { t: sim.now(), event, data });
  }
  return out;
}

describe('faults.finishReason', () => {
  it('length (OpenAI): the first half of the tokens, finish_reason length, at ttft + 2 token gaps', async () => {
    const result = await run(1, async (sim) => {
      const s = model(sim, 'openai', 'openai', faults.finishReason({ rate: 1, reason: 'length' }));
      const completion = await s.call(ask());
      return { completion, at: sim.now() };
    });
    const { completion, at } = result.value!;
    expect(at).toBe(300);
    expect(completion.choices[0]).toMatchObject({
      message: { role: 'assistant', content: 'one two three' },
      finish_reason: 'length',
    });
    expect(completion.usage.completion_tokens).toBe(3);
    expect(result.trace.ofKind('fault.injected').map((e) => [e.t, e.data])).toEqual([
      [0, { call: 0, fault: 'finishReason', effect: 'finish-reason', reason: 'length' }],
    ]);
    expect(result.trace.ofKind('service.end')[0]!.data).toEqual({
      call: 0,
      outcome: 'ok',
      status: 200,
      latency: 300,
      fault: 'finishReason',
    });
  });

  it('content_filter: OpenAI finish_reason content_filter in the last chunk; Anthropic stop_reason refusal', async () => {
    const result = await run(1, async (sim) => {
      const fault = faults.finishReason({ rate: 1, reason: 'content_filter' });
      const openai = model(sim, 'openai', 'openai', fault);
      const claude = model(sim, 'claude', 'anthropic', fault);
      const streamed = await sse(sim, (await openai.respond(post(ask({ stream: true })))).body);
      const start = sim.now();
      const message = await claude.call(ask({ max_tokens: 100 }));
      const messageTook = sim.now() - start;
      const events = await sse(sim, (await claude.respond(post(ask({ stream: true })))).body);
      return { streamed, message, messageTook, events };
    });
    const { streamed, message, messageTook, events } = result.value!;
    expect(
      streamed.map((e) => [e.t, e.data === '[DONE]' ? e.data : e.data.choices[0].delta.content]),
    ).toEqual([
      [100, ''],
      [100, 'one'],
      [200, ' two'],
      [300, ' three'],
      [300, undefined],
      [300, '[DONE]'],
    ]);
    expect(streamed[4]!.data.choices[0].finish_reason).toBe('content_filter');
    expect(message).toMatchObject({
      content: [{ type: 'text', text: 'one two three' }],
      stop_reason: 'refusal',
    });
    expect(messageTook).toBe(300);
    expect(events.find((e) => e.event === 'message_delta')!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'refusal', stop_sequence: null },
      usage: { output_tokens: 3 },
    });
    expect(events.at(-1)!.t - events[0]!.t).toBe(200);
  });

  it('Anthropic length: stop_reason max_tokens', async () => {
    const result = await run(1, async (sim) =>
      model(sim, 'claude', 'anthropic', faults.finishReason({ rate: 1, reason: 'length' })).call(ask()),
    );
    expect(result.value).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 3 } });
  });
});

describe('faults.emptyContent', () => {
  it('OpenAI: content "" and finish_reason stop, answered at ttft', async () => {
    const result = await run(1, async (sim) => {
      const s = model(sim, 'openai', 'openai', faults.emptyContent({ rate: 1 }));
      const completion = await s.call(ask());
      const at = sim.now();
      const events = await sse(sim, (await s.respond(post(ask({ stream: true })))).body);
      return { completion, at, events };
    });
    const { completion, at, events } = result.value!;
    expect(at).toBe(100);
    expect(completion.choices[0]).toMatchObject({
      message: { role: 'assistant', content: '' },
      finish_reason: 'stop',
    });
    expect(completion.usage.completion_tokens).toBe(0);
    expect(events.map((e) => [e.t, e.data === '[DONE]' ? e.data : e.data.choices[0].finish_reason])).toEqual([
      [200, null],
      [200, 'stop'],
      [200, '[DONE]'],
    ]);
    expect(events[0]!.data.choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(result.trace.ofKind('fault.injected').map((e) => e.data?.effect)).toEqual([
      'empty-content',
      'empty-content',
    ]);
  });

  it('Anthropic: content [] and a stream without any content block', async () => {
    const result = await run(1, async (sim) => {
      const s = model(sim, 'claude', 'anthropic', faults.emptyContent({ rate: 1 }));
      const message = await s.call(ask());
      const events = await sse(sim, (await s.respond(post(ask({ stream: true })))).body);
      return { message, events };
    });
    const { message, events } = result.value!;
    expect(message).toMatchObject({ content: [], stop_reason: 'end_turn', usage: { output_tokens: 0 } });
    expect(events.map((e) => [e.t, e.event])).toEqual([
      [200, 'message_start'],
      [200, 'ping'],
      [200, 'message_delta'],
      [200, 'message_stop'],
    ]);
  });
});

describe('faults.invalidToolCall', () => {
  const tools = {
    openai: [{ type: 'function', function: { name: 'search', parameters: { type: 'object' } } }],
    anthropic: [{ name: 'lookup', input_schema: { type: 'object' } }],
  };
  const ARGS = '{"input": "one two three four five",}';

  it('OpenAI: tool_calls[0].function.arguments is invalid JSON, finish_reason tool_calls', async () => {
    const result = await run(1, async (sim) => {
      const s = model(sim, 'openai', 'openai', faults.invalidToolCall({ rate: 1 }));
      const completion = await s.call(ask({ tools: tools.openai }));
      return { completion, at: sim.now() };
    });
    const { completion, at } = result.value!;
    // arguments are 6 whitespace-separated pieces: ttft + 5 gaps
    expect(at).toBe(600);
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_openai_0', type: 'function', function: { name: 'search', arguments: ARGS } },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    expect(() => JSON.parse(ARGS)).toThrow(SyntaxError);
  });

  it('OpenAI stream: a tool_calls delta with id and name, then argument pieces on the clock', async () => {
    const result = await run(1, async (sim) => {
      const s = model(sim, 'openai', 'openai', faults.invalidToolCall({ rate: 1 }));
      return sse(sim, (await s.respond(post(ask({ stream: true })))).body);
    });
    const events = result.value!;
    expect(events[0]!.data.choices[0].delta).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { index: 0, id: 'call_openai_0', type: 'function', function: { name: 'tool', arguments: '' } },
      ],
    });
    const pieces = events
      .slice(1, -2)
      .map((e) => [e.t, e.data.choices[0].delta.tool_calls[0].function.arguments as string]);
    expect(pieces.map(([t]) => t)).toEqual([100, 200, 300, 400, 500, 600]);
    expect(pieces.map(([, a]) => a).join('')).toBe(ARGS);
    expect(events.at(-2)!.data.choices[0].finish_reason).toBe('tool_calls');
  });

  it('Anthropic: a tool_use block (input is the broken JSON text) and input_json_delta pieces in a stream', async () => {
    const result = await run(1, async (sim) => {
      const s = model(sim, 'claude', 'anthropic', faults.invalidToolCall({ rate: 1 }));
      const message = await s.call(ask({ tools: tools.anthropic }));
      const events = await sse(
        sim,
        (await s.respond(post(ask({ stream: true, tools: tools.anthropic })))).body,
      );
      return { message, events };
    });
    const { message, events } = result.value!;
    expect(message).toMatchObject({
      content: [{ type: 'tool_use', id: 'toolu_claude_0', name: 'lookup', input: ARGS }],
      stop_reason: 'tool_use',
    });
    expect(events[1]!.data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_claude_1', name: 'lookup', input: {} },
    });
    const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta);
    expect(deltas.every((d) => d.type === 'input_json_delta')).toBe(true);
    expect(deltas.map((d) => d.partial_json).join('')).toBe(ARGS);
    expect(events.find((e) => e.event === 'message_delta')!.data.delta.stop_reason).toBe('tool_use');
  });
});

describe('content faults: scope and precedence', () => {
  it('are ignored by generic services (not traced, the handler value unchanged)', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.service('api', {
        faults: [
          faults.finishReason({ rate: 1, reason: 'length' }),
          faults.emptyContent({ rate: 1 }),
          faults.invalidToolCall({ rate: 1 }),
        ],
        handle: () => 'full answer',
      });
      return [await s.call(null), (await s.respond(post({}))).body];
    });
    expect(result.value).toEqual(['full answer', '"full answer"']);
    expect(result.trace.ofKind('fault.injected')).toEqual([]);
    expect(result.trace.ofKind('service.end').map((e) => e.data?.fault)).toEqual([undefined, undefined]);
  });

  it('lose to stream faults and malformed payloads; among themselves the first listed wins', async () => {
    const result = await run(1, async (sim) => {
      const a = sim.llm('a', {
        provider: 'openai',
        ttft: '10ms',
        respond: FIVE,
        faults: [faults.emptyContent({ rate: 1 }), faults.truncate({ afterChunks: 2 })],
      });
      const b = sim.llm('b', {
        provider: 'openai',
        ttft: '10ms',
        respond: FIVE,
        faults: [faults.invalidToolCall({ rate: 1 }), faults.finishReason({ rate: 1, reason: 'length' })],
      });
      const streamed = await sse(sim, (await a.respond(post(ask({ stream: true })))).body);
      return { streamed: streamed.length, b: await b.call(ask()) };
    });
    expect(result.value!.streamed).toBe(3);
    expect(result.value!.b.choices[0]!.finish_reason).toBe('tool_calls');
    expect(result.trace.ofKind('fault.injected').map((e) => [e.actor, e.data?.fault])).toEqual([
      ['a', 'truncate'],
      ['b', 'invalidToolCall'],
    ]);
  });

  it('apply with their rate, deterministically per seed', async () => {
    const body = async (sim: Sim) => {
      const s = sim.llm('m', {
        provider: 'anthropic',
        ttft: '10ms',
        faults: [faults.finishReason({ rate: 0.3, reason: 'length' }), faults.emptyContent({ rate: 0.3 })],
      });
      const reasons: string[] = [];
      for (let i = 0; i < 50; i++) {
        const m = await s.call(ask());
        reasons.push(m.content.length === 0 ? 'empty' : m.stop_reason);
      }
      return reasons;
    };
    const a = await run(11, body);
    const b = await run(11, body);
    const c = await run(12, body);
    expect(b.value).toEqual(a.value);
    expect(b.trace.hash).toBe(a.trace.hash);
    expect(c.value).not.toEqual(a.value);
    expect(new Set(a.value)).toEqual(new Set(['end_turn', 'max_tokens', 'empty']));
  });
});

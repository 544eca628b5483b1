import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { faults } from '../../../src/faults/index.js';
import type { SimulationResult } from '../../../src/index.js';
import type { Sim } from '../../../src/simulators/sim.js';
import { type RouteFn, simulateHttp } from '../../support/simulate-http.js';

/*
 * The new catalog entries as the official SDKs see them, through the HTTP
 * bridge on the virtual clock.
 */

async function run<T>(
  body: (sim: Sim, route: RouteFn) => Promise<T>,
  seed = 1,
): Promise<SimulationResult<T>> {
  const result = await simulateHttp({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('openai SDK against the new faults', () => {
  it('truncated JSON: a SyntaxError at the time the answer came, not retried', async () => {
    const result = await run(async (sim, route) => {
      route(
        'https://a.test/v1',
        sim.llm('a', {
          provider: 'openai',
          ttft: '100ms',
          tokensPerSecond: 10,
          respond: () => 'x y',
          faults: [faults.malformed({ rate: 1, kind: 'truncated-json' })],
        }),
      );
      const client = new OpenAI({ apiKey: 'k', baseURL: 'https://a.test/v1' });
      const error = await client.chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e);
      return { error, at: sim.now() };
    });
    expect(result.value!.error).toBeInstanceOf(SyntaxError);
    expect(result.value!.at).toBe(200);
    expect(result.trace.ofKind('service.call')).toHaveLength(1);
  });

  it('a proxy 502 HTML page: retried like any 502, then an InternalServerError with the page', async () => {
    const result = await run(async (sim, route) => {
      route(
        'https://b.test/v1',
        sim.llm('b', {
          provider: 'openai',
          ttft: '100ms',
          faults: [faults.malformed({ rate: 1, kind: 'html', status: 502 })],
        }),
      );
      const client = new OpenAI({ apiKey: 'k', baseURL: 'https://b.test/v1' });
      return (await client.chat.completions
        .create({ model: 'm', messages })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    });
    const error = result.value!;
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(502);
    expect(error.message).toContain('<title>502 Bad Gateway</title>');
    expect(result.trace.ofKind('service.call')).toHaveLength(3);
  });

  it('an invalid tool call reaches the caller; its arguments do not parse', async () => {
    const result = await run(async (sim, route) => {
      route(
        'https://c.test/v1',
        sim.llm('c', { provider: 'openai', ttft: '100ms', faults: [faults.invalidToolCall({ rate: 1 })] }),
      );
      const client = new OpenAI({ apiKey: 'k', baseURL: 'https://c.test/v1' });
      const completion = await client.chat.completions.create({
        model: 'm',
        messages,
        tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object' } } }],
      });
      return completion.choices[0]!;
    });
    const choice = result.value!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('search');
    expect(() => JSON.parse(call.type === 'function' ? call.function.arguments : '')).toThrow(SyntaxError);
  });

  it('rate-limit headers count down, readable with withResponse()', async () => {
    const result = await run(async (sim, route) => {
      route(
        'https://d.test/v1',
        sim.llm('d', {
          provider: 'openai',
          ttft: '100ms',
          faults: [faults.rateLimit({ limit: 10, per: '1m' })],
        }),
      );
      const client = new OpenAI({ apiKey: 'k', baseURL: 'https://d.test/v1' });
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const { response } = await client.chat.completions.create({ model: 'm', messages }).withResponse();
        remaining.push(response.headers.get('x-ratelimit-remaining-requests'));
      }
      return remaining;
    });
    expect(result.value).toEqual(['9', '8', '7']);
  });

  it('a slow stream: chunks at the slow gap on the virtual clock', async () => {
    const result = await run(async (sim, route) => {
      route(
        'https://e.test/v1',
        sim.llm('e', {
          provider: 'openai',
          ttft: '300ms',
          respond: () => 'a b c',
          faults: [faults.slowStream({ tokensPerSecond: 0.5 })],
        }),
      );
      const client = new OpenAI({ apiKey: 'k', baseURL: 'https://e.test/v1' });
      const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
      const times: [number, string][] = [];
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content;
        if (content) times.push([sim.now(), content]);
      }
      return times;
    });
    expect(result.value).toEqual([
      [300, 'a'],
      [2_300, ' b'],
      [4_300, ' c'],
    ]);
  });
});

describe('Anthropic SDK against the new faults', () => {
  it('a streamed tool call with invalid input_json_delta: finalMessage() rejects', async () => {
    const result = await run(async (sim, route) => {
      route(
        'https://f.test',
        sim.llm('f', { provider: 'anthropic', ttft: '100ms', faults: [faults.invalidToolCall({ rate: 1 })] }),
      );
      const client = new Anthropic({ apiKey: 'k', baseURL: 'https://f.test' });
      const stream = client.messages.stream({
        model: 'm',
        max_tokens: 100,
        messages,
        tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
      });
      return (await stream.finalMessage().catch((e: unknown) => e)) as Error;
    });
    expect(result.value).toBeInstanceOf(Anthropic.AnthropicError);
    expect(result.value!.message).toContain('JSON');
  });

  it('a refusal: stop_reason refusal with the partial text', async () => {
    const result = await run(async (sim, route) => {
      route(
        'https://g.test',
        sim.llm('g', {
          provider: 'anthropic',
          ttft: '100ms',
          respond: () => 'one two three four',
          faults: [faults.finishReason({ rate: 1, reason: 'content_filter' })],
        }),
      );
      const client = new Anthropic({ apiKey: 'k', baseURL: 'https://g.test' });
      return client.messages.create({ model: 'm', max_tokens: 100, messages });
    });
    expect(result.value).toMatchObject({
      stop_reason: 'refusal',
      content: [{ type: 'text', text: 'one two' }],
    });
  });
});

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { HttpTarget } from '../../../src/simulators/http/target.js';
import { simulateHttp } from '../../support/simulate-http.js';

/*
 * The official Anthropic SDK, unmodified, against a simulated service through
 * the HTTP bridge. Like openai's, it cancels the body of each retryable error
 * response before retrying; it waits `retry-after-ms` when 0 < value ≤ 2^31 − 1.
 */

const BASE = 'https://api.anthropic.test';

function message(text: string) {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 3, output_tokens: 1 },
  };
}

describe('Anthropic SDK on the virtual clock', () => {
  it('retries a 429 and a 529 at the times retry-after-ms sets, then succeeds', async () => {
    const result = await simulateHttp({ seed: 1 }, async (sim, route) => {
      const seen: [number, string][] = [];
      const target: HttpTarget = {
        name: 'anthropic',
        async respond(request, { signal }) {
          seen.push([sim.now(), new URL(request.url).pathname]);
          await sim.sleep(200, signal);
          const error = (status: number, type: string, ms: number) => ({
            status,
            headers: { 'retry-after-ms': String(ms) },
            body: { type: 'error', error: { type, message: type } },
          });
          if (seen.length === 1) return error(429, 'rate_limit_error', 1000);
          if (seen.length === 2) return error(529, 'overloaded_error', 3000);
          return { status: 200, body: message('bonjour') };
        },
      };
      route(BASE, target);
      const client = new Anthropic({ apiKey: 'test', baseURL: BASE });
      const reply = await client.messages.create({
        model: 'claude-test',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      return {
        text: reply.content[0]!.type === 'text' ? reply.content[0]!.text : '',
        seen,
        doneAt: sim.now(),
      };
    });
    if (result.error) throw result.error;
    expect(result.value).toEqual({
      text: 'bonjour',
      seen: [
        [0, '/v1/messages'],
        [200 + 1000, '/v1/messages'],
        [1400 + 3000, '/v1/messages'],
      ],
      doneAt: 4600,
    });
  });

  it('gives up with the SDK error class after its retries', async () => {
    const result = await simulateHttp({ seed: 1 }, async (_sim, route) => {
      let attempts = 0;
      route(BASE, {
        name: 'anthropic',
        async respond() {
          attempts++;
          return {
            status: 529,
            headers: { 'retry-after-ms': '500' },
            body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          };
        },
      });
      const client = new Anthropic({ apiKey: 'test', baseURL: BASE });
      const error = await client.messages
        .create({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      return { error, attempts };
    });
    if (result.error) throw result.error;
    expect(result.value!.error).toBeInstanceOf(Anthropic.APIError);
    expect(result.value!.error).toMatchObject({ status: 529 });
    expect(result.value!.attempts).toBe(3);
    expect(result.stats.virtualTimeMs).toBe(1000);
  });
});

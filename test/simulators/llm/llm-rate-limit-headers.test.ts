import { describe, expect, it } from 'vitest';
import { faults } from '../../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../../src/index.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const post = (extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  url: 'https://api.test/v1/x',
  headers: {},
  body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }),
});

const pick = (headers: Readonly<Record<string, string>>, prefix: string) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith(prefix)));

describe('rate-limit headers on successful LLM replies', () => {
  it('OpenAI: remaining counts down within a faults.rateLimit window, resets with the window', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('openai', {
        provider: 'openai',
        ttft: '100ms',
        respond: () => 'ok',
        faults: [faults.rateLimit({ limit: 3, per: '1m' })],
      });
      const seen: { t: number; status: number; headers: Record<string, string> }[] = [];
      for (const at of [0, 10_000, 20_000, 30_000, 60_000]) {
        await sim.sleep(at - sim.now());
        const reply = await s.respond(post());
        seen.push({ t: at, status: reply.status, headers: pick(reply.headers, 'x-ratelimit-') });
      }
      return seen;
    });
    const seen = result.value!;
    expect(seen.map((s) => [s.status, s.headers['x-ratelimit-remaining-requests']])).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
      [200, '2'],
    ]);
    // answered 100 ms after arrival: the window ends 59.9 s later
    expect(seen[0]!.headers).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '59.9s',
      'x-ratelimit-limit-tokens': '2000000',
      'x-ratelimit-remaining-tokens': '1999998',
      'x-ratelimit-reset-tokens': '1ms',
    });
    expect(seen[1]!.headers['x-ratelimit-reset-requests']).toBe('49.9s');
    expect(seen[2]!.headers['x-ratelimit-reset-requests']).toBe('39.9s');
    expect(seen[3]!.headers['x-ratelimit-reset-requests']).toBe('30s');
    expect(seen[4]!.headers['x-ratelimit-reset-requests']).toBe('59.9s');
  });

  it('Anthropic: anthropic-ratelimit-requests-* follow the window; the reset is an RFC 3339 time', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('claude', {
        provider: 'anthropic',
        ttft: '100ms',
        respond: () => 'ok',
        faults: [faults.rateLimit({ limit: 2, per: '10s' })],
      });
      const first = await s.respond(post());
      await sim.sleep(2_000);
      const second = await s.respond(post({ stream: true }));
      for await (const _ of second.body as AsyncIterable<string>) {
        // drain
      }
      return [pick(first.headers, 'anthropic-ratelimit-'), pick(second.headers, 'anthropic-ratelimit-')];
    });
    const [first, second] = result.value!;
    expect(first).toEqual({
      'anthropic-ratelimit-requests-limit': '2',
      'anthropic-ratelimit-requests-remaining': '1',
      'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:10.000Z',
      'anthropic-ratelimit-tokens-limit': '2000000',
      'anthropic-ratelimit-tokens-remaining': '1999998',
      'anthropic-ratelimit-tokens-reset': '2025-01-01T00:00:01.000Z',
    });
    expect(second['anthropic-ratelimit-requests-remaining']).toBe('0');
    expect(second['anthropic-ratelimit-requests-reset']).toBe('2025-01-01T00:00:10.000Z');
  });

  it('without a rate limit: generous defaults', async () => {
    const result = await run(1, async (sim) => {
      const openai = sim.llm('openai', { provider: 'openai', ttft: '50ms', respond: () => 'ok' });
      const claude = sim.llm('claude', { provider: 'anthropic', ttft: '50ms', respond: () => 'ok' });
      return [
        pick((await openai.respond(post())).headers, 'x-ratelimit-'),
        pick((await claude.respond(post())).headers, 'anthropic-ratelimit-requests'),
      ];
    });
    expect(result.value).toEqual([
      {
        'x-ratelimit-limit-requests': '10000',
        'x-ratelimit-remaining-requests': '9999',
        'x-ratelimit-reset-requests': '6ms',
        'x-ratelimit-limit-tokens': '2000000',
        'x-ratelimit-remaining-tokens': '1999998',
        'x-ratelimit-reset-tokens': '1ms',
      },
      {
        'anthropic-ratelimit-requests-limit': '4000',
        'anthropic-ratelimit-requests-remaining': '3999',
        'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:01.000Z',
      },
    ]);
  });

  it('generic services: x-ratelimit-limit / remaining / reset on 200s when a rate limit is set, none otherwise', async () => {
    const result = await run(1, async (sim) => {
      const limited = sim.service('limited', {
        latency: '500ms',
        faults: [faults.rateLimit({ limit: 2, per: '10s' })],
        handle: () => 'ok',
      });
      const plain = sim.service('plain', { handle: () => 'ok' });
      return [
        (await limited.respond(post())).headers,
        (await limited.respond(post())).headers,
        (await plain.respond(post())).headers,
      ];
    });
    expect(result.value).toEqual([
      {
        'content-type': 'application/json',
        'x-ratelimit-limit': '2',
        'x-ratelimit-remaining': '1',
        'x-ratelimit-reset': '10',
      },
      {
        'content-type': 'application/json',
        'x-ratelimit-limit': '2',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '9',
      },
      { 'content-type': 'application/json' },
    ]);
  });

  it('the most restrictive of several rate limits is advertised', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('openai', {
        provider: 'openai',
        ttft: '10ms',
        respond: () => 'ok',
        faults: [faults.rateLimit({ limit: 100, per: '1m' }), faults.rateLimit({ limit: 5, per: '1s' })],
      });
      return pick((await s.respond(post())).headers, 'x-ratelimit-');
    });
    expect(result.value).toMatchObject({
      'x-ratelimit-limit-requests': '5',
      'x-ratelimit-remaining-requests': '4',
      'x-ratelimit-reset-requests': '990ms',
    });
    expect(result.trace.ofKind('fault.injected')).toEqual([]);
  });
});

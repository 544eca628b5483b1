import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { dist, type Sim, simulate } from '../../src/index.js';

/*
 * Every catalog entry added with malformed payloads, slow streams and the LLM
 * content faults, in one scenario: same seed ⇒ same trace hash, another seed ⇒
 * another trace.
 */

const post = (body: unknown) => ({
  method: 'POST',
  url: 'https://api.test/v1/x',
  headers: {},
  body: JSON.stringify(body),
});

async function scenario(sim: Sim): Promise<string[]> {
  const llmFaults = [
    faults.rateLimit({ limit: 30, per: '1m' }),
    faults.malformed({ rate: 0.1 }),
    faults.slowStream({ rate: 0.3, chunkDelay: dist.uniform('200ms', '2s') }),
    faults.finishReason({ rate: 0.1, reason: 'length' }),
    faults.finishReason({ rate: 0.1, reason: 'content_filter' }),
    faults.emptyContent({ rate: 0.1 }),
    faults.invalidToolCall({ rate: 0.1 }),
  ];
  const openai = sim.llm('openai', { provider: 'openai', faults: llmFaults });
  const claude = sim.llm('claude', { provider: 'anthropic', faults: llmFaults });
  const api = sim.service('api', {
    latency: dist.exponential('50ms'),
    faults: [faults.malformed({ rate: 0.2 }), faults.emptyContent({ rate: 0.5 })],
    handle: (req: { i: number }) => ({ echo: req.i }),
  });
  const seen: string[] = [];
  const note = (p: Promise<unknown>, label: string) =>
    p.then(
      (v) => seen.push(`${sim.now()} ${label} ok ${JSON.stringify(v).length}`),
      (e: { code?: string; status?: number }) => seen.push(`${sim.now()} ${label} ${e.status ?? e.code}`),
    );
  await Promise.all(
    [openai, claude].map((llm) =>
      sim.spawn(llm.name, async () => {
        for (let i = 0; i < 40; i++) {
          const request = { messages: [{ role: 'user', content: `q${i}` }], stream: i % 2 === 0 };
          if (i % 4 === 0) {
            const reply = await llm.respond(post(request));
            let text = '';
            if (typeof reply.body !== 'string') for await (const chunk of reply.body) text += String(chunk);
            seen.push(`${sim.now()} ${llm.name} http ${reply.status} ${text.length}`);
          } else if (request.stream) {
            await note(
              (async () => {
                let n = 0;
                for await (const _ of await llm.call({ ...request, stream: true })) n++;
                return n;
              })(),
              llm.name,
            );
          } else {
            await note(llm.call(request), llm.name);
          }
        }
      }),
    ),
  );
  for (let i = 0; i < 30; i++) await note(api.call({ i }), 'api');
  return seen;
}

describe('determinism of the new faults', () => {
  it('the same seed gives the same trace hash; another seed a different one', async () => {
    const a = await simulate({ seed: 2024 }, scenario);
    const b = await simulate({ seed: 2024 }, scenario);
    const c = await simulate({ seed: 2025 }, scenario);
    for (const r of [a, b, c]) expect(r.error).toBeUndefined();
    expect(b.trace.hash).toBe(a.trace.hash);
    expect(b.trace.toJSONL()).toBe(a.trace.toJSONL());
    expect(b.value).toEqual(a.value);
    expect(c.trace.hash).not.toBe(a.trace.hash);
    expect(c.value).not.toEqual(a.value);
    const effects = new Set(
      a.trace.ofKind('fault.injected').map((e) => `${e.data?.fault}:${e.data?.effect}`),
    );
    for (const expected of [
      'malformed:malformed',
      'slowStream:slow-stream',
      'finishReason:finish-reason',
      'emptyContent:empty-content',
      'invalidToolCall:invalid-tool-call',
      'rateLimit:status',
    ]) {
      expect(effects).toContain(expected);
    }
    // emptyContent on the generic service is never traced
    expect(
      a.trace.ofKind('fault.injected').filter((e) => e.actor === 'api' && e.data?.fault === 'emptyContent'),
    ).toEqual([]);
  });

  it('passes checkDeterminism', async () => {
    const result = await simulate({ seed: 7, checkDeterminism: true }, scenario);
    expect(result.outcome).toBe('ok');
  });
});

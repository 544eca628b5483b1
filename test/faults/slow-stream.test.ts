import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { dist, type Sim, type SimulationResult, simulate } from '../../src/index.js';

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

const streamed = () => ({ ...ask(), stream: true as const });

const post = (body: unknown) => ({
  method: 'POST',
  url: 'https://api.test/v1/x',
  headers: {},
  body: JSON.stringify(body),
});

const FIVE = () => 'one two three four five';

/** Arrival times of the content chunks of a streamed `call()`. */
async function contentTimes(sim: Sim, stream: AsyncIterable<any>): Promise<number[]> {
  const times: number[] = [];
  for await (const chunk of stream) {
    if (chunk.choices?.[0]?.delta?.content || chunk.delta?.type === 'text_delta') times.push(sim.now());
  }
  return times;
}

describe('faults.slowStream', () => {
  it('tokensPerSecond: chunks 1000 / tokensPerSecond ms apart after an unchanged ttft; the stream still ends', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('openai', {
        provider: 'openai',
        ttft: '200ms',
        tokensPerSecond: 50,
        respond: FIVE,
        faults: [faults.slowStream({ tokensPerSecond: 2 })],
      });
      const times = await contentTimes(sim, await s.call(streamed()));
      return { times, end: sim.now() };
    });
    expect(result.value).toEqual({ times: [200, 700, 1200, 1700, 2200], end: 2200 });
    expect(result.trace.ofKind('fault.injected').map((e) => [e.t, e.data])).toEqual([
      [0, { call: 0, fault: 'slowStream', effect: 'slow-stream', chunkGapMs: 500 }],
    ]);
    expect(result.trace.ofKind('service.end')[0]).toMatchObject({
      t: 2200,
      data: { call: 0, outcome: 'ok', status: 200, latency: 2200 },
    });
  });

  it('chunkDelay over HTTP (Anthropic SSE); calls that are not streamed are not slowed nor traced', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('claude', {
        provider: 'anthropic',
        ttft: '100ms',
        tokensPerSecond: 100,
        respond: () => 'a b c',
        faults: [faults.slowStream({ chunkDelay: '3s' })],
      });
      await s.call(ask());
      const plain = sim.now();
      const reply = await s.respond(post(ask({ stream: true })));
      const deltas: number[] = [];
      for await (const chunk of reply.body as AsyncIterable<string>) {
        if (chunk.startsWith('event: content_block_delta')) deltas.push(sim.now());
      }
      return { plain, deltas, end: sim.now() };
    });
    expect(result.value).toEqual({ plain: 120, deltas: [220, 3220, 6220], end: 6220 });
    expect(result.trace.ofKind('fault.injected').map((e) => e.data?.call)).toEqual([1]);
  });

  it('combines with a stall: slow chunks, then silence until the idle timeout aborts', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.llm('openai', {
        provider: 'openai',
        ttft: '100ms',
        respond: FIVE,
        faults: [faults.slowStream({ chunkDelay: '1s' }), faults.stall({ afterChunks: 2 })],
      });
      const controller = new AbortController();
      const times: number[] = [];
      const reading = contentTimes(sim, await s.call(streamed(), { signal: controller.signal })).catch(() =>
        times.push(sim.now()),
      );
      await sim.sleep(5_000);
      controller.abort(new Error('idle'));
      await reading;
      return times;
    });
    expect(result.value).toEqual([5_100]);
    expect(result.trace.ofKind('fault.injected').map((e) => e.data?.effect)).toEqual([
      'slow-stream',
      'stream-stall',
    ]);
  });

  it('rate and a distribution: each slowed call samples its own gap, deterministically per seed', async () => {
    const body = async (sim: Sim) => {
      const s = sim.llm('m', {
        provider: 'openai',
        ttft: '10ms',
        respond: () => 'a b',
        faults: [faults.slowStream({ rate: 0.5, chunkDelay: dist.uniform('1s', '2s') })],
      });
      const gaps: number[] = [];
      for (let i = 0; i < 30; i++) {
        const [first, second] = await contentTimes(sim, await s.call(streamed()));
        gaps.push(second! - first!);
      }
      return gaps;
    };
    const a = await run(4, body);
    const b = await run(4, body);
    const c = await run(5, body);
    expect(b.value).toEqual(a.value);
    expect(b.trace.hash).toBe(a.trace.hash);
    expect(c.trace.hash).not.toBe(a.trace.hash);
    const slowed = a.value!.filter((g) => g !== 12.5);
    expect(slowed.length).toBeGreaterThan(8);
    expect(slowed.length).toBeLessThan(22);
    for (const g of slowed) expect(g >= 1000 && g <= 2000).toBe(true);
    const traced = a.trace.ofKind('fault.injected').map((e) => e.data?.chunkGapMs);
    expect(traced).toEqual(slowed);
  });

  it('does nothing to generic services', async () => {
    const result = await run(1, async (sim) => {
      const s = sim.service('api', {
        latency: '5ms',
        faults: [faults.slowStream({ tokensPerSecond: 1 })],
        handle: () => 'ok',
      });
      return [await s.call(null), sim.now()];
    });
    expect(result.value).toEqual(['ok', 5]);
    expect(result.trace.ofKind('fault.injected')).toEqual([]);
  });
});

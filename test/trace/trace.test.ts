import { describe, expect, it } from 'vitest';
import { simulate, Trace } from '../../src/index.js';

describe('trace', () => {
  it('hashes canonically: key order and undefined fields do not matter', () => {
    const a = new Trace();
    const b = new Trace();
    a.record('x', 'me', { b: 2, a: 1, gone: undefined });
    b.record('x', 'me', { a: 1, b: 2 });
    expect(a.hash).toBe(b.hash);
    b.record('y');
    expect(a.hash).not.toBe(b.hash);
  });

  it('round-trips through JSONL with the same hash', async () => {
    const { trace } = await simulate({ seed: 3 }, async (sim) => {
      sim.emit('call', { n: 1, error: new Error('nope') }, 'svc');
      await sim.sleep(250);
      sim.emit('done', { ok: true, ratio: 0.5 }, 'svc');
    });
    const text = trace.toJSONL();
    expect(text.split('\n').filter(Boolean)).toHaveLength(trace.length);
    const back = Trace.fromJSONL(text);
    expect(back.hash).toBe(trace.hash);
    expect(back.events[1]).toMatchObject({
      kind: 'call',
      data: { error: { name: 'Error', message: 'nope' } },
    });
  });

  it('keeps every event in order across storage chunks, reads in between and live views', () => {
    let now = 0;
    const trace = new Trace(() => now);
    const expected: {
      seq: number;
      t: number;
      kind: string;
      actor?: string;
      data?: Record<string, unknown>;
    }[] = [];
    const emit = (i: number) => {
      now = i * 0.25;
      const kind = i % 3 === 0 ? 'a.x' : 'b.y';
      const data = i % 2 === 0 ? { i } : undefined;
      trace.record(kind, `actor-${i % 5}`, data);
      expected.push({ seq: i, t: now, kind, actor: `actor-${i % 5}`, data });
    };
    for (let i = 0; i < 700; i++) emit(i);
    expect(trace.length).toBe(700);
    expect(trace.ofKind('a')).toHaveLength(234);
    for (let i = 700; i < 1300; i++) emit(i);
    expect(trace.length).toBe(1300);
    const live = trace.events;
    for (let i = 1300; i < 1400; i++) emit(i);
    expect(live).toHaveLength(1400);
    expect(trace.events).toEqual(expected);
    expect(Trace.fromJSONL(trace.toJSONL()).hash).toBe(trace.hash);
  });

  it('hands out the same event objects from ofKind before and after the whole trace is read', () => {
    let now = 0;
    const trace = new Trace(() => now);
    for (let i = 0; i < 600; i++) {
      now = i;
      trace.record(i % 4 === 0 ? 'a.x' : 'b.y', 'me', { i });
    }
    const first = trace.ofKind('a');
    expect(first.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, k) => k * 4));
    expect(trace.ofKind('a.x')).toEqual(first);
    expect(trace.ofKind('a.x')[7]).toBe(first[7]);
    for (let i = 600; i < 700; i++) trace.record('a.x', 'me', { i });
    const hash = trace.hash;
    const events = trace.events;
    expect(events[4]).toBe(first[1]);
    expect(events.indexOf(first[149]!)).toBe(596);
    expect(trace.ofKind('a')).toHaveLength(250);
    expect(trace.ofKind('a')[149]).toBe(first[149]);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 700 }, (_, k) => k));
    expect(Trace.fromJSONL(trace.toJSONL()).hash).toBe(hash);
  });

  it('reports the line of a bad JSONL record', () => {
    expect(() => Trace.fromJSONL('{"seq":0,"t":0,"kind":"a"}\nnot json')).toThrow(/line 2/);
    expect(() => Trace.fromJSONL('{"seq":0}')).toThrow(/line 1: expected an event/);
  });

  it('formats a readable timeline', async () => {
    const { trace } = await simulate({ seed: 3 }, async (sim) => {
      await sim.sleep('1.25s');
      sim.emit('breaker.state', { from: 'closed', to: 'open', reason: 'manual' }, 'llm');
    });
    const text = trace.format();
    expect(text).toContain('+1.250s');
    expect(
      trace
        .format()
        .split('\n')
        .map((l) => l.indexOf('#')),
    ).toEqual([14, 14, 14]);
    expect(text).toMatch(/breaker\.state\s+llm\s+from=closed reason=manual to=open/);
    expect(trace.format({ limit: 1 })).toMatch(/… 2 more events/);
    expect(trace.format({ kinds: ['breaker'] }).split('\n')).toHaveLength(1);
  });

  it('filters by kind prefix and actor', async () => {
    const { trace } = await simulate({ seed: 1 }, (sim) => {
      sim.emit('breaker.state', { from: 'closed', to: 'open', reason: 'manual' }, 'a');
      sim.emit('breaker.rejected', { state: 'open' }, 'b');
      sim.emit('breakers', {}, 'a');
    });
    expect(trace.ofKind('breaker').map((e) => e.kind)).toEqual(['breaker.state', 'breaker.rejected']);
    expect(trace.ofActor('a').map((e) => e.kind)).toEqual(['breaker.state', 'breakers']);
  });
});

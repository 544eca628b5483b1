import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { cache } from '../../src/resilience/cache.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, deferred, traceOn } from './helpers.js';

function setup(ttl = 1000, maxEntries?: number) {
  const clock = new ManualClock();
  const trace = traceOn(clock);
  return { clock, trace, c: cache<string, string>({ name: 'answers', ttl, maxEntries, clock, trace }) };
}

describe('cache', () => {
  it('is fresh until exactly storedAt + ttl, then reloads; stale() keeps the last value', async () => {
    const { c, clock, trace } = setup(1000);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await c.get('q', load)).toBe('v1');
    await clock.advance(999);
    expect(await c.get('q', load)).toBe('v1');
    await clock.advance(1);
    expect(c.has('q')).toBe(false);
    expect(c.stale('q')).toBe('v1');
    expect(await c.get('q', load)).toBe('v2');
    expect(trace.events.map((e) => e.kind)).toEqual([
      'cache.declared',
      'cache.miss',
      'cache.stored',
      'cache.hit',
      'cache.stale',
      'cache.miss',
      'cache.stored',
    ]);
    expect(trace.ofKind('cache.stored')[0]!.data).toEqual({ key: 'q', expiresAt: 1000 });
  });

  it('coalesces concurrent loads of one key', async () => {
    const { c, clock } = setup();
    const gate = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const a = capture(c.get('k', load));
    const b = capture(c.get('k', load));
    const other = capture(c.get('other', async () => 'o'));
    gate.resolve('shared');
    await clock.settle();
    expect([a.value, b.value, other.value, loads]).toEqual(['shared', 'shared', 'o', 1]);
  });

  it('a failed load stores nothing (stale still serves the old value) and the next get loads again', async () => {
    const { c, clock } = setup(100);
    await c.get('k', async () => 'old');
    await clock.advance(100);
    await expect(c.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(c.stale('k')).toBe('old');
    expect(await c.get('k', async () => 'new')).toBe('new');
  });

  it('evicts the least recently used beyond maxEntries', async () => {
    const { c } = setup(10_000, 2);
    await c.get('a', async () => 'A');
    await c.get('b', async () => 'B');
    await c.get('a', async () => 'unused'); // hit: a is now the most recent
    await c.get('c', async () => 'C');
    expect([c.stale('a'), c.stale('b'), c.stale('c'), c.size]).toEqual(['A', undefined, 'C', 2]);
  });

  it("a caller's abort rejects that caller; the load is aborted only when every waiter left", async () => {
    const { c, clock } = setup();
    let loadSignal: AbortSignal | undefined;
    const load = (signal: AbortSignal) => {
      loadSignal = signal;
      return clock.sleep(100, signal).then(() => 'v');
    };
    const x = new AbortController();
    const y = new AbortController();
    const a = capture(c.get('k', load, x.signal));
    const b = capture(c.get('k', load, y.signal));
    x.abort(new Error('x left'));
    await clock.settle();
    expect(a.error).toMatchObject({ message: 'x left' });
    expect(loadSignal!.aborted).toBe(false);
    y.abort(new Error('y left'));
    await clock.settle();
    expect(b.error).toMatchObject({ message: 'y left' });
    expect(loadSignal!.aborted).toBe(true);
    expect(c.size).toBe(0);
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => cache({ ttl: 'soon' })).toThrow(/cache\(\{ ttl \}\)/);
    expect(() => cache({ ttl: 1, maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => cache({ ttl: 1, max: 1 } as never)).toThrow(/cache\(\{ max \}\)/);
    expect(() => cache({} as never)).toThrow(ConfigError);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, seededRandom } from '../../src/index.js';

describe('seeded random streams', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(Array.from({ length: 10 }, () => a.next())).toEqual(Array.from({ length: 10 }, () => b.next()));
  });

  it('gives different sequences for different seeds', () => {
    expect(seededRandom(1).next()).not.toBe(seededRandom(2).next());
  });

  it('forks by name independently of how many draws anyone made', () => {
    const a = seededRandom('s');
    const b = seededRandom('s');
    for (let i = 0; i < 100; i++) a.next(); // a new component drawing a lot
    a.fork('other').next();
    expect(a.fork('llm').next()).toBe(b.fork('llm').next());
    expect(a.fork('llm').path).toBe('s/llm');
    expect(a.fork('llm').next()).not.toBe(a.fork('web').next());
  });

  it('draws integers inclusively and picks elements uniformly', () => {
    const r = seededRandom(9);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const v = r.int(1, 6);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of counts.values()) expect(c).toBeGreaterThan(800);
    expect(['a', 'b', 'c']).toContain(r.pick(['a', 'b', 'c']));
  });

  it('chance respects its rate at the edges', () => {
    const r = seededRandom(3);
    for (let i = 0; i < 100; i++) {
      expect(r.chance(0)).toBe(false);
      expect(r.chance(1)).toBe(true);
    }
  });

  it('validates its arguments', () => {
    const r = seededRandom(1);
    expect(() => r.int(5, 1)).toThrow(ConfigError);
    expect(() => r.pick([])).toThrow(ConfigError);
    expect(() => r.chance(1.5)).toThrow(/rate.*1\.5/);
  });
});

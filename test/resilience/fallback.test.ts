import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { fallback } from '../../src/resilience/fallback.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { traceOn } from './helpers.js';

describe('fallback', () => {
  it('tries steps in order, passes the previous error, resolves with the first success', async () => {
    const trace = traceOn(new ManualClock());
    const seen: unknown[] = [];
    const chain = fallback<string>(
      [
        ['live', () => Promise.reject(new Error('503'))],
        [
          'stale',
          (previous) => {
            seen.push(previous);
            throw new Error('no stale value');
          },
        ],
        [
          'canned',
          (previous) => {
            seen.push(previous);
            return 'sorry';
          },
        ],
        ['never', () => 'unreached'],
      ],
      { name: 'answer', trace },
    );
    await expect(chain.execute()).resolves.toBe('sorry');
    expect(seen.map((e) => (e as Error).message)).toEqual(['503', 'no stale value']);
    expect(trace.events.map((e) => [e.kind, e.data])).toEqual([
      ['fallback.declared', { steps: ['live', 'stale', 'canned', 'never'] }],
      ['fallback.step', { step: 'live', index: 0 }],
      ['fallback.failure', { step: 'live', index: 0, error: { name: 'Error', message: '503' } }],
      ['fallback.step', { step: 'stale', index: 1, previousError: { name: 'Error', message: '503' } }],
      ['fallback.failure', { step: 'stale', index: 1, error: { name: 'Error', message: 'no stale value' } }],
      [
        'fallback.step',
        { step: 'canned', index: 2, previousError: { name: 'Error', message: 'no stale value' } },
      ],
      ['fallback.success', { step: 'canned', index: 2 }],
    ]);
  });

  it('rejects with the last error when every step fails; its cause chain holds the others', async () => {
    const first = new Error('first');
    const inner = new Error('inner');
    const second = new Error('second', { cause: inner });
    const third = new Error('third');
    const chain = fallback([
      ['a', () => Promise.reject(first)],
      ['b', () => Promise.reject(second)],
      ['c', () => Promise.reject(third)],
    ]);
    const error = await chain.execute().catch((e: unknown) => e);
    expect(error).toBe(third);
    expect(third.cause).toBe(second);
    expect(second.cause).toBe(inner); // its own cause kept
    expect(inner.cause).toBe(first);
    // running it again does not build a cycle
    await chain.execute().catch(() => undefined);
    expect(first.cause).toBeUndefined();
  });

  it('an abort stops before the next step', async () => {
    const controller = new AbortController();
    let ran = 0;
    const chain = fallback([
      [
        'a',
        () => {
          ran++;
          controller.abort(new Error('stop'));
          return Promise.reject(new Error('a'));
        },
      ],
      [
        'b',
        () => {
          ran++;
          return 'b';
        },
      ],
    ]);
    await expect(chain.execute(controller.signal)).rejects.toThrow('stop');
    expect(ran).toBe(1);
  });

  it('rejects bad steps and options with ConfigError', () => {
    expect(() => fallback([])).toThrow(ConfigError);
    expect(() => fallback([['a', 'x' as never]])).toThrow(/fallback\(steps\)/);
    expect(() => fallback([['', () => 1]])).toThrow(ConfigError);
    expect(() =>
      fallback([
        ['a', () => 1],
        ['a', () => 2],
      ]),
    ).toThrow(/unique step names/);
    expect(() => fallback([['a', () => 1]], { retries: 1 } as never)).toThrow(/fallback\(\{ retries \}\)/);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, duration, formatDuration } from '../../src/index.js';

describe('duration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['1d', 86_400_000],
    [' 2m 5s '.replace(/ /g, ''), 125_000],
    [1500, 1500],
    [0, 0],
  ])('parses %j as %d ms', (input, ms) => {
    expect(duration(input)).toBe(ms);
  });

  it.each(['', 'ten seconds', '5', '5 s', '-3s', '1x', 's', '1h-30m'])(
    'rejects %j with a ConfigError quoting it',
    (bad) => {
      expect(() => duration(bad, 'retry.baseDelay')).toThrow(ConfigError);
      expect(() => duration(bad, 'retry.baseDelay')).toThrow(`retry.baseDelay: got ${JSON.stringify(bad)}`);
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %d', (bad) => {
    expect(() => duration(bad)).toThrow(ConfigError);
  });

  it('rejects non-string, non-number values', () => {
    expect(() => duration({} as never)).toThrow(/got \{\}/);
    expect(() => duration(null as never)).toThrow(/got null/);
  });

  it('formats durations compactly', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(125_000)).toBe('2m5s');
    expect(formatDuration(3_723_004)).toBe('1h02m3.004s');
  });
});

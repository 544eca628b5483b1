import { describe, expect, it } from 'vitest';
import { parseRetryAfter, readHeader } from '../../src/resilience/retry-after.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('readHeader', () => {
  it('reads Headers, Maps and plain objects case-insensitively', () => {
    expect(readHeader(new Headers({ 'Retry-After': '3' }), 'retry-after')).toBe('3');
    expect(readHeader({ 'Retry-After': '3' }, 'retry-after')).toBe('3');
    expect(readHeader({ 'retry-after': ['4', '5'] }, 'Retry-After')).toBe('4');
    expect(readHeader(new Map([['X-Should-Retry', 'false']]), 'x-should-retry')).toBe('false');
    expect(readHeader({ other: '1' }, 'retry-after')).toBeUndefined();
    expect(readHeader(undefined, 'retry-after')).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, fractional seconds and retry-after-ms', () => {
    expect(parseRetryAfter({ 'retry-after': '2' }, NOW)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': '0.5' }, NOW)).toBe(500);
    expect(parseRetryAfter({ 'retry-after-ms': '150' }, NOW)).toBe(150);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '150', 'retry-after': '9' }, NOW)).toBe(150);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    const inTen = new Date(NOW + 10_000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': inTen }, NOW)).toBe(10_000);
    const past = new Date(NOW - 10_000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': past }, NOW)).toBe(0);
  });

  it('ignores garbage', () => {
    expect(parseRetryAfter({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': '-3' }, NOW)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after-ms': 'x', 'retry-after': '1' }, NOW)).toBe(1000);
    expect(parseRetryAfter({}, NOW)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { BrokenCircuitError } from '../../src/errors/broken-circuit-error.js';
import { BulkheadRejectedError } from '../../src/errors/bulkhead-rejected-error.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { RateLimitedError } from '../../src/errors/rate-limited-error.js';
import { RetryExhaustedError } from '../../src/errors/retry-exhausted-error.js';
import { TimeoutError } from '../../src/errors/timeout-error.js';
import { classifyError, errorStatus } from '../../src/resilience/classify-error.js';
import { httpError } from './helpers.js';

const NOW = 1_000_000;

function net(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('classifyError', () => {
  it.each([
    [500, 'transient', 'server-error'],
    [502, 'transient', 'server-error'],
    [503, 'transient', 'server-error'],
    [504, 'transient', 'server-error'],
    [599, 'transient', 'server-error'],
    [408, 'transient', 'timeout'],
    [409, 'transient', 'conflict'],
    [429, 'rate-limited', 'rate-limit'],
    [529, 'rate-limited', 'overloaded'],
    [501, 'permanent', 'not-implemented'],
    [400, 'permanent', 'client-error'],
    [401, 'permanent', 'client-error'],
    [403, 'permanent', 'client-error'],
    [404, 'permanent', 'client-error'],
    [413, 'permanent', 'client-error'],
    [422, 'permanent', 'client-error'],
  ])('status %i is %s (%s)', (status, kind, reason) => {
    expect(classifyError(httpError(status), NOW)).toEqual({ kind, reason, status });
  });

  it('reads status from status, statusCode and response.status', () => {
    expect(errorStatus({ status: 503 })).toBe(503);
    expect(errorStatus({ statusCode: 503 })).toBe(503);
    expect(errorStatus({ response: { status: 503 } })).toBe(503);
    expect(errorStatus(new Error('x'))).toBeUndefined();
    expect(classifyError({ response: { status: 404 } }, NOW).kind).toBe('permanent');
  });

  it('429 insufficient_quota is permanent in every SDK shape', () => {
    expect(classifyError(httpError(429, undefined, { code: 'insufficient_quota' }), NOW).kind).toBe(
      'permanent',
    );
    expect(
      classifyError(
        httpError(429, undefined, { error: { type: 'insufficient_quota', code: 'insufficient_quota' } }),
        NOW,
      ).reason,
    ).toBe('insufficient-quota');
    expect(
      classifyError(httpError(429, undefined, { body: { error: { code: 'insufficient_quota' } } }), NOW).kind,
    ).toBe('permanent');
  });

  it('x-should-retry overrides the status both ways', () => {
    expect(classifyError(httpError(503, { 'x-should-retry': 'false' }), NOW)).toEqual({
      kind: 'permanent',
      reason: 'should-not-retry-header',
      status: 503,
    });
    expect(classifyError(httpError(400, new Headers({ 'x-should-retry': 'true' })), NOW)).toEqual({
      kind: 'transient',
      reason: 'should-retry-header',
      status: 400,
    });
    expect(classifyError(httpError(429, { 'x-should-retry': 'true' }), NOW).kind).toBe('rate-limited');
  });

  it('reads Retry-After from headers or response.headers', () => {
    expect(classifyError(httpError(429, { 'retry-after': '3' }), NOW).retryAfterMs).toBe(3000);
    expect(classifyError(httpError(529, { 'retry-after-ms': '250' }), NOW).retryAfterMs).toBe(250);
    expect(classifyError({ response: { status: 503, headers: { 'Retry-After': '1' } } }, NOW)).toEqual({
      kind: 'transient',
      reason: 'server-error',
      status: 503,
      retryAfterMs: 1000,
    });
    const date = new Date(NOW + 7000).toUTCString();
    expect(classifyError(httpError(429, { 'retry-after': date }), NOW).retryAfterMs).toBe(7000);
    expect(classifyError(httpError(400, { 'retry-after': '3' }), NOW).retryAfterMs).toBeUndefined();
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
  ])('network code %s is transient', (code) => {
    expect(classifyError(net(code), NOW)).toEqual({ kind: 'transient', reason: 'network' });
  });

  it("TypeError('fetch failed') is a network error, with or without a coded cause", () => {
    expect(classifyError(new TypeError('fetch failed', { cause: net('ECONNRESET') }), NOW).reason).toBe(
      'network',
    );
    expect(classifyError(new TypeError('fetch failed'), NOW).reason).toBe('network');
  });

  it('classifies faultline and DOM errors', () => {
    expect(classifyError(new TimeoutError('t', 5), NOW)).toEqual({ kind: 'transient', reason: 'timeout' });
    expect(classifyError(new DOMException('t', 'TimeoutError'), NOW).reason).toBe('timeout');
    expect(classifyError(new DOMException('a', 'AbortError'), NOW)).toEqual({
      kind: 'permanent',
      reason: 'aborted',
    });
    expect(classifyError(new BrokenCircuitError('b', 'open'), NOW).kind).toBe('permanent');
    expect(classifyError(new RetryExhaustedError('r', 2, [new Error('x')], 'max-retries'), NOW).kind).toBe(
      'permanent',
    );
    expect(classifyError(new ConfigError('x', 1, 'y'), NOW).kind).toBe('permanent');
    expect(classifyError(new BulkheadRejectedError('b', 1, 0), NOW).kind).toBe('transient');
    expect(classifyError(new RateLimitedError('r', 1500), NOW)).toEqual({
      kind: 'rate-limited',
      reason: 'rate-limit',
      retryAfterMs: 1500,
    });
  });

  it('unknown errors and thrown non-errors are transient', () => {
    expect(classifyError(new Error('???'), NOW)).toEqual({ kind: 'transient', reason: 'unknown' });
    expect(classifyError('a string', NOW)).toEqual({ kind: 'transient', reason: 'unknown' });
    expect(classifyError(undefined, NOW)).toEqual({ kind: 'transient', reason: 'unknown' });
  });
});

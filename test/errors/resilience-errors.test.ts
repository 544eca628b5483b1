import { describe, expect, it } from 'vitest';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  ConfigError,
  FaultlineError,
  RateLimitedError,
  RetryExhaustedError,
  TimeoutError,
} from '../../src/errors/index.js';

describe('resilience error classes', () => {
  const cases = [
    [
      new BrokenCircuitError('llm', 'open'),
      BrokenCircuitError,
      'BROKEN_CIRCUIT',
      'circuit breaker "llm" is open',
    ],
    [new TimeoutError('llm', 250), TimeoutError, 'TIMEOUT', '"llm" timed out after 250ms'],
    [
      new RetryExhaustedError('llm', 4, [new Error('a'), new Error('b')], 'max-retries'),
      RetryExhaustedError,
      'RETRY_EXHAUSTED',
      'retry "llm" gave up after 4 attempts (max-retries): b',
    ],
    [
      new BulkheadRejectedError('pool', 2, 10),
      BulkheadRejectedError,
      'BULKHEAD_REJECTED',
      'bulkhead "pool" is full',
    ],
    [new RateLimitedError('api', 1500), RateLimitedError, 'RATE_LIMITED', 'retry after 1500ms'],
  ] as const;

  it.each(cases)('%s has its code, name, message and guard', (error, Class, code, text) => {
    expect(error).toBeInstanceOf(FaultlineError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(Class.name);
    expect(error.message).toContain(text);
    expect(Class.is(error)).toBe(true);
    expect(FaultlineError.is(error)).toBe(true);
    expect(ConfigError.is(error)).toBe(false);
    expect(Class.is(new Error(error.message))).toBe(false);
  });

  it('guards work across copies (brand + code, not instanceof)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('faultline.error')]: true, code: 'TIMEOUT' });
    expect(TimeoutError.is(foreign)).toBe(true);
    expect(BrokenCircuitError.is(foreign)).toBe(false);
  });

  it('RetryExhaustedError keeps every error and the last as cause', () => {
    const errors = [new Error('a'), new Error('b')];
    const error = new RetryExhaustedError('r', 2, errors, 'budget-exhausted');
    expect(error.errors).toBe(errors);
    expect(error.cause).toBe(errors[1]);
    expect(error.attempts).toBe(2);
    expect(error.reason).toBe('budget-exhausted');
    expect(new RetryExhaustedError('r', 1, ['plain'], 'max-retries').message).toContain('1 attempt (');
  });

  it('BrokenCircuitError names the state that refused', () => {
    expect(new BrokenCircuitError('b', 'half-open').message).toContain('every probe slot is taken');
    expect(new BrokenCircuitError('b', 'isolated').state).toBe('isolated');
  });
});

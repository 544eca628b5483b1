import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseAgentflowConfig } from '../../src/resilience/agentflow-config.js';
import { circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import {
  breakerEnabled,
  breakerOptionsFromConfig,
  breakerOptionsFromTable,
  retryEnabled,
  retryOptionsFromConfig,
  retryOptionsFromTable,
} from '../../src/resilience/config-converters.js';
import { retry } from '../../src/resilience/retry.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, httpError } from './helpers.js';

const seedText = await readFile(new URL('../../examples/agentflow.toml', import.meta.url), 'utf8');

describe('breakerOptionsFromConfig', () => {
  it('maps the seed breaker table', () => {
    const cfg = parseAgentflowConfig(seedText);
    expect(breakerOptionsFromConfig(cfg)).toEqual({
      failureThreshold: 5,
      successThreshold: 3,
      timeout: 30_000,
      maxConcurrentCalls: 2,
    });
    const breaker = circuitBreaker(breakerOptionsFromConfig(cfg));
    expect(breaker.timeoutMs).toBe(30_000);
    expect(breakerEnabled(cfg)).toBe(true);
  });

  it('overlays a provider table key by key; unknown providers get the global options', () => {
    const cfg = parseAgentflowConfig(
      `${seedText}\n[providers.azure.circuit_breaker]\nenabled = false\nfailure_threshold = 3\nreset_timeout_ms = 60000\n`,
    );
    expect(breakerOptionsFromConfig(cfg, 'azure')).toEqual({
      failureThreshold: 3,
      successThreshold: 3,
      timeout: 60_000,
      maxConcurrentCalls: 2,
    });
    expect(breakerOptionsFromConfig(cfg, 'other')).toEqual(breakerOptionsFromConfig(cfg));
    expect(breakerEnabled(cfg, 'azure')).toBe(false);
    expect(breakerEnabled(cfg, 'other')).toBe(true);
  });

  it('an absent table gives empty options (factory defaults)', () => {
    expect(breakerOptionsFromTable(undefined)).toEqual({});
    expect(breakerOptionsFromConfig(parseAgentflowConfig(''))).toEqual({});
  });
});

describe('retryOptionsFromConfig', () => {
  it('maps the seed retry table; enable_jitter = true means full jitter', () => {
    const cfg = parseAgentflowConfig(seedText);
    expect(retryOptionsFromConfig(cfg)).toEqual({
      maxRetries: 3,
      baseDelay: 1000,
      maxDelay: 30_000,
      backoffFactor: 2,
      jitter: 'full',
    });
    expect(retryEnabled(cfg)).toBe(true);
    expect(retryOptionsFromTable({ enableJitter: false }).jitter).toBe('none');
  });

  it('falls back to [error_routing] max_retries / retry_delay_ms without a retry table', () => {
    const cfg = parseAgentflowConfig(
      '[error_routing]\nenabled = false\nmax_retries = 2\nretry_delay_ms = 250\n',
    );
    expect(retryOptionsFromConfig(cfg)).toEqual({ maxRetries: 2, baseDelay: 250 });
    expect(retryEnabled(cfg)).toBe(false);
  });

  it('retry_on_* = false makes that kind of error permanent', async () => {
    const cfg = parseAgentflowConfig(
      '[providers.openai.retry]\nmax_retries = 2\nbase_delay_ms = 1\nmax_delay_ms = 1\nretry_on_server_error = false\nretry_on_rate_limit = false\n',
    );
    const options = retryOptionsFromConfig(cfg, 'openai');
    const clock = new ManualClock();
    const policy = retry({ ...options, clock });
    async function attempts(error: unknown): Promise<number> {
      let n = 0;
      capture(
        policy.execute(() => {
          n++;
          return Promise.reject(error);
        }),
      );
      await clock.runAll();
      return n;
    }
    expect(await attempts(httpError(503))).toBe(1);
    expect(await attempts(httpError(429))).toBe(1);
    expect(await attempts(httpError(529))).toBe(1);
    expect(await attempts(httpError(408))).toBe(3);
    expect(await attempts(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(3);
    expect(await attempts(httpError(400))).toBe(1);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { loadAgentflowConfig, parseAgentflowConfig } from '../../src/resilience/agentflow-config.js';

const examplePath = new URL('../../examples/agentflow.toml', import.meta.url);

function configError(text: string): ConfigError {
  try {
    parseAgentflowConfig(text);
  } catch (error) {
    if (ConfigError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseAgentflowConfig: the seed reference config', () => {
  it('parses examples/agentflow.toml to the exact expected object', async () => {
    const cfg = await loadAgentflowConfig(examplePath.pathname);
    expect(cfg).toEqual({
      errorRouting: {
        enabled: true,
        maxRetries: 3,
        retryDelayMs: 1000,
        enableCircuitBreaker: true,
        circuitBreaker: {
          failureThreshold: 5,
          successThreshold: 3,
          timeoutMs: 30_000,
          maxConcurrentCalls: 2,
        },
        retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000, backoffFactor: 2, enableJitter: true },
      },
      mcp: {
        production: {
          enabled: true,
          loadBalancing: 'round_robin',
          circuitBreakerEnabled: true,
          metricsEnabled: true,
        },
      },
      providers: {},
      warnings: [],
    });
  });
});

describe('parseAgentflowConfig: other documented tables', () => {
  const text = `
[providers.openai.circuit_breaker]
enabled = true
failure_threshold = 4
half_open_max_calls = 1
reset_timeout_ms = 45000

[providers.openai.retry]
max_retries = 5
base_delay_ms = 500
max_delay_ms = 60000
backoff_factor = 1.5
enable_jitter = false
retry_on_timeout = true
retry_on_rate_limit = true
retry_on_server_error = false
retry_on_network_error = true

[mcp.retry]
max_retries = 2
base_delay_ms = 200

[mcp.circuit_breaker]
failure_threshold = 10

[load_balancer]
strategy = "least_connections"
health_check_interval = "30s"
unhealthy_threshold = 3
healthy_threshold = 2
`;

  it('reads providers, mcp.retry, mcp.circuit_breaker and load_balancer, with aliases', () => {
    const cfg = parseAgentflowConfig(text);
    expect(cfg.providers.openai).toEqual({
      circuitBreaker: { enabled: true, failureThreshold: 4, maxConcurrentCalls: 1, timeoutMs: 45_000 },
      retry: {
        maxRetries: 5,
        baseDelayMs: 500,
        maxDelayMs: 60_000,
        backoffFactor: 1.5,
        enableJitter: false,
        retryOnTimeout: true,
        retryOnRateLimit: true,
        retryOnServerError: false,
        retryOnNetworkError: true,
      },
    });
    expect(cfg.mcp).toEqual({
      retry: { maxRetries: 2, baseDelayMs: 200 },
      circuitBreaker: { failureThreshold: 10 },
    });
    expect(cfg.loadBalancer).toEqual({
      strategy: 'least_connections',
      healthCheckInterval: 30_000,
      unhealthyThreshold: 3,
      healthyThreshold: 2,
    });
    expect(cfg.warnings).toEqual([]);
  });

  it('accepts a numeric health_check_interval as milliseconds and every strategy', () => {
    for (const strategy of ['round_robin', 'weighted', 'least_connections', 'random', 'performance_based']) {
      const cfg = parseAgentflowConfig(
        `[load_balancer]\nstrategy = "${strategy}"\nhealth_check_interval = 1500\n`,
      );
      expect(cfg.loadBalancer).toEqual({ strategy, healthCheckInterval: 1500 });
    }
  });

  it('accepts inline tables and dotted keys', () => {
    const cfg = parseAgentflowConfig(
      '[error_routing]\ncircuit_breaker = { failure_threshold = 2, timeout_ms = 100 }\nretry.max_retries = 1\n',
    );
    expect(cfg.errorRouting).toEqual({
      circuitBreaker: { failureThreshold: 2, timeoutMs: 100 },
      retry: { maxRetries: 1 },
    });
  });

  it('an empty file gives an empty config', () => {
    expect(parseAgentflowConfig('')).toEqual({ providers: {}, warnings: [] });
  });
});

describe('parseAgentflowConfig: unknown keys are warnings, never silently ignored', () => {
  it('lists unknown keys and tables with their path and line', () => {
    const cfg = parseAgentflowConfig(`[agent_flow]
name = "demo"

[error_routing]
enabled = true
max_retires = 3

[error_routing.circuit_breaker]
failure_threshold = 5
cool_down = 3

[providers.openai]
model = "gpt-4o"
`);
    expect(cfg.warnings).toEqual([
      'agent_flow (line 1): unknown table, ignored',
      'error_routing.max_retires (line 6): unknown key, ignored',
      'error_routing.circuit_breaker.cool_down (line 10): unknown key, ignored',
      'providers.openai.model (line 13): unknown key, ignored',
    ]);
    expect(cfg.errorRouting).toEqual({ enabled: true, circuitBreaker: { failureThreshold: 5 } });
  });

  it('an alias that repeats its canonical key with the same value is a warning', () => {
    const cfg = parseAgentflowConfig(
      '[error_routing.circuit_breaker]\nmax_concurrent_calls = 2\nhalf_open_max_calls = 2\n',
    );
    expect(cfg.errorRouting?.circuitBreaker).toEqual({ maxConcurrentCalls: 2 });
    expect(cfg.warnings).toEqual([
      'error_routing.circuit_breaker.half_open_max_calls (line 3): alias repeats max_concurrent_calls',
    ]);
  });
});

describe('parseAgentflowConfig: invalid values throw ConfigError naming path, value, allowed and line', () => {
  it('base delay above max delay', () => {
    const error = configError(`[error_routing]
enabled = true

[error_routing.retry]
max_retries = 3
base_delay_ms = 5000
max_delay_ms = 1000
`);
    expect(error.path).toBe('error_routing.retry.base_delay_ms');
    expect(error.value).toBe(5000);
    expect(error.message).toBe(
      'error_routing.retry.base_delay_ms (line 6): got 5000; expected a number of milliseconds <= max_delay_ms (1000)',
    );
  });

  it.each([
    [
      '[error_routing.circuit_breaker]\nfailure_threshold = 0',
      'error_routing.circuit_breaker.failure_threshold',
      0,
      'an integer >= 1',
      2,
    ],
    [
      '[error_routing.circuit_breaker]\nsuccess_threshold = -1',
      'error_routing.circuit_breaker.success_threshold',
      -1,
      'an integer >= 1',
      2,
    ],
    [
      '[error_routing.circuit_breaker]\n\nmax_concurrent_calls = 1.5',
      'error_routing.circuit_breaker.max_concurrent_calls',
      1.5,
      'an integer >= 1',
      3,
    ],
    [
      '[error_routing.circuit_breaker]\nhalf_open_max_calls = 0',
      'error_routing.circuit_breaker.half_open_max_calls',
      0,
      'an integer >= 1',
      2,
    ],
    [
      '[error_routing.circuit_breaker]\ntimeout_ms = -5',
      'error_routing.circuit_breaker.timeout_ms',
      -5,
      'a finite number of milliseconds >= 0',
      2,
    ],
    [
      '[error_routing.circuit_breaker]\nreset_timeout_ms = nan',
      'error_routing.circuit_breaker.reset_timeout_ms',
      Number.NaN,
      'a finite number of milliseconds >= 0',
      2,
    ],
    [
      '[error_routing.retry]\nmax_delay_ms = inf',
      'error_routing.retry.max_delay_ms',
      Number.POSITIVE_INFINITY,
      'a finite number of milliseconds >= 0',
      2,
    ],
    [
      '[error_routing.retry]\nmax_retries = "3"',
      'error_routing.retry.max_retries',
      '3',
      'an integer >= 0',
      2,
    ],
    [
      '[error_routing.retry]\nbackoff_factor = 0.5',
      'error_routing.retry.backoff_factor',
      0.5,
      'a finite number >= 1',
      2,
    ],
    [
      '[error_routing.retry]\nenable_jitter = "yes"',
      'error_routing.retry.enable_jitter',
      'yes',
      'true or false',
      2,
    ],
    ['[error_routing]\nenabled = 1', 'error_routing.enabled', 1, 'true or false', 2],
    [
      '[error_routing]\nretry_delay_ms = -1',
      'error_routing.retry_delay_ms',
      -1,
      'a finite number of milliseconds >= 0',
      2,
    ],
    [
      '[mcp.production]\nload_balancing = "fastest"',
      'mcp.production.load_balancing',
      'fastest',
      'one of "round_robin"',
      2,
    ],
    ['[load_balancer]\nstrategy = "fastest"', 'load_balancer.strategy', 'fastest', 'one of "round_robin"', 2],
    [
      '[load_balancer]\nhealth_check_interval = "soon"',
      'load_balancer.health_check_interval',
      'soon',
      'a duration string',
      2,
    ],
    [
      '[load_balancer]\nunhealthy_threshold = 0',
      'load_balancer.unhealthy_threshold',
      0,
      'an integer >= 1',
      2,
    ],
    [
      '[providers.openai.retry]\nretry_on_timeout = "no"',
      'providers.openai.retry.retry_on_timeout',
      'no',
      'true or false',
      2,
    ],
    ['error_routing = 5', 'error_routing', 5, 'a table', 1],
  ])('%s', (text, path, value, allowed, line) => {
    const error = configError(text);
    expect(error.path).toBe(path);
    expect(error.value).toEqual(value);
    expect(error.message).toContain(allowed);
    expect(error.message).toContain(`(line ${line})`);
  });

  it('finds the line of a key within its own table, not an earlier table with the same key', () => {
    const error = configError(`[error_routing]
max_retries = 3

[error_routing.retry]
max_retries = -1
`);
    expect(error.message).toMatch(
      /^error_routing\.retry\.max_retries \(line 5\): got -1; expected an integer >= 0$/,
    );
  });

  it('conflicting alias values are an error on the alias', () => {
    const error = configError(
      '[error_routing.circuit_breaker]\ntimeout_ms = 1000\nreset_timeout_ms = 2000\n',
    );
    expect(error.path).toBe('error_routing.circuit_breaker.reset_timeout_ms');
    expect(error.message).toContain('(line 3)');
    expect(error.message).toContain('timeout_ms (1000)');
  });

  it('TOML syntax errors become ConfigError with the line', () => {
    const error = configError('[error_routing]\nenabled = true\nmax_retries = = 3\n');
    expect(error.path).toBe('agentflow.toml');
    expect(error.message).toContain('(line 3)');
    expect(error.message).toContain('valid TOML');
    expect(error.value).toBe('max_retries = = 3');
  });
});

describe('loadAgentflowConfig', () => {
  it('reads a file and names the file in syntax errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-'));
    const file = join(dir, 'agentflow.toml');
    await writeFile(file, '[error_routing\n');
    const error = await loadAgentflowConfig(file).catch((e: unknown) => e);
    expect(ConfigError.is(error) && error.path).toBe(file);
  });

  it('a missing file is a ConfigError', async () => {
    const error = await loadAgentflowConfig('/nonexistent/agentflow.toml').catch((e: unknown) => e);
    expect(ConfigError.is(error)).toBe(true);
    expect((error as ConfigError).message).toContain('a readable agentflow.toml file');
  });
});

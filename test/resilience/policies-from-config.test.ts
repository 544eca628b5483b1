import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { parseAgentflowConfig } from '../../src/resilience/agentflow-config.js';
import { breakerEnabled, retryEnabled } from '../../src/resilience/config-converters.js';
import {
  backendBreakersEnabled,
  loadBalancerOptionsFromConfig,
} from '../../src/resilience/load-balancer-config.js';
import { policiesFromConfig } from '../../src/resilience/policies-from-config.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { traceOn } from './helpers.js';

const seedText = readFileSync('examples/agentflow.toml', 'utf8');
const backends = [{ name: 'east' }, { name: 'west' }, { name: 'north' }];

describe('which flags turn what on (precedence)', () => {
  it('retry: provider table, else [error_routing] enabled, else [error_routing.retry] enabled, else on', () => {
    const cfg = (text: string) => parseAgentflowConfig(text);
    expect(retryEnabled(cfg(''))).toBe(true);
    expect(retryEnabled(cfg('[error_routing.retry]\nenabled = false\n'))).toBe(false);
    // the section switch wins over the global table (the order retryEnabled documents)
    expect(
      retryEnabled(cfg('[error_routing]\nenabled = false\n[error_routing.retry]\nenabled = true\n')),
    ).toBe(false);
    expect(
      retryEnabled(cfg('[error_routing]\nenabled = true\n[error_routing.retry]\nenabled = false\n')),
    ).toBe(true);
    const provider = cfg('[error_routing]\nenabled = false\n[providers.openai.retry]\nenabled = true\n');
    expect(retryEnabled(provider, 'openai')).toBe(true);
    expect(retryEnabled(provider, 'other')).toBe(false);
  });

  it('breaker: provider table, else enable_circuit_breaker, else [error_routing.circuit_breaker] enabled, else on', () => {
    const cfg = (text: string) => parseAgentflowConfig(text);
    expect(breakerEnabled(cfg('[error_routing]\nenable_circuit_breaker = false\n'))).toBe(false);
    expect(
      breakerEnabled(
        cfg(
          '[error_routing]\nenable_circuit_breaker = true\n[error_routing.circuit_breaker]\nenabled = false\n',
        ),
      ),
    ).toBe(true);
  });

  it('per-backend breakers: circuit_breaker_enabled, else [mcp.circuit_breaker] enabled, else off', () => {
    const cfg = (text: string) => parseAgentflowConfig(text);
    expect(backendBreakersEnabled(cfg(''))).toBe(false);
    expect(backendBreakersEnabled(cfg('[mcp.circuit_breaker]\nenabled = true\n'))).toBe(true);
    expect(
      backendBreakersEnabled(
        cfg('[mcp.production]\ncircuit_breaker_enabled = false\n[mcp.circuit_breaker]\nenabled = true\n'),
      ),
    ).toBe(false);
  });
});

describe('loadBalancerOptionsFromConfig', () => {
  it('reads the strategy, health-check settings and per-backend breaker options', () => {
    expect(loadBalancerOptionsFromConfig(parseAgentflowConfig(seedText))).toEqual({
      strategy: 'round_robin',
      breaker: { failureThreshold: 5, successThreshold: 3, timeout: 30_000, maxConcurrentCalls: 2 },
    });
    const cfg = parseAgentflowConfig(
      `${seedText}\n[mcp.circuit_breaker]\nfailure_threshold = 2\n[load_balancer]\nstrategy = "least_connections"\nhealth_check_interval = "15s"\nunhealthy_threshold = 2\n`,
    );
    expect(loadBalancerOptionsFromConfig(cfg)).toEqual({
      strategy: 'least_connections',
      healthCheck: { interval: 15_000, unhealthyThreshold: 2 },
      breaker: { failureThreshold: 2, successThreshold: 3, timeout: 30_000, maxConcurrentCalls: 2 },
    });
    expect(loadBalancerOptionsFromConfig(parseAgentflowConfig(''))).toEqual({ strategy: 'round_robin' });
  });
});

describe('policiesFromConfig', () => {
  it('the seed config: retry outside the breaker, no load balancer without backends', async () => {
    const clock = new ManualClock();
    const trace = traceOn(clock);
    const built = policiesFromConfig(parseAgentflowConfig(seedText), { name: 'llm', clock, trace });
    expect(built.retry?.maxRetries).toBe(3);
    expect(built.breaker?.failureThreshold).toBe(5);
    expect(built.loadBalancer).toBeUndefined();
    expect(built.pipeline.policies).toEqual([built.retry, built.breaker]);
    await expect(built.pipeline.execute(() => 'ok')).resolves.toBe('ok');
    expect(trace.events.map((e) => [e.kind, e.actor])).toEqual([
      ['retry.declared', 'llm'],
      ['breaker.declared', 'llm'],
      ['retry.attempt', 'llm'],
      ['breaker.admitted', 'llm'],
      ['breaker.success', 'llm'],
      ['retry.success', 'llm'],
    ]);
  });

  it('honours every enabled flag', () => {
    const off = parseAgentflowConfig(
      '[error_routing]\nenabled = false\nenable_circuit_breaker = false\n[mcp.production]\nenabled = false\n',
    );
    const built = policiesFromConfig(off, { backends });
    expect([built.retry, built.breaker]).toEqual([undefined, undefined]);
    // load balancing off: every call goes to the first backend
    expect(built.loadBalancer?.backends.map((b) => b.name)).toEqual(['east']);
    expect(built.pipeline.policies).toEqual([built.loadBalancer]);
  });

  it('builds the load balancer with its strategy, health checks and per-backend breakers', async () => {
    const clock = new ManualClock();
    const cfg = parseAgentflowConfig(
      `${seedText}\n[load_balancer]\nstrategy = "weighted"\nhealth_check_interval = 5000\nunhealthy_threshold = 1\n`,
    );
    const built = policiesFromConfig(cfg, {
      clock,
      backends,
      healthCheck: (b) => b.name !== 'west',
    });
    const lb = built.loadBalancer!;
    expect(lb.strategy).toBe('weighted');
    expect(lb.breakerOf('east')?.failureThreshold).toBe(5);
    expect(built.pipeline.policies).toEqual([built.retry, built.breaker, lb]);
    const seen: string[] = [];
    const call = () => built.pipeline.execute((_s, { backend }) => seen.push(backend!.name));
    for (let i = 0; i < 3; i++) await call();
    await clock.advance(5_000);
    for (let i = 0; i < 3; i++) await call();
    expect(seen).toEqual(['east', 'west', 'north', 'east', 'north', 'east']);
    lb.close();
  });

  it('rejects a health_check_interval without a check, unknown keys, and a non-config', () => {
    const cfg = parseAgentflowConfig('[load_balancer]\nhealth_check_interval = "10s"\n');
    expect(() => policiesFromConfig(cfg, { backends })).toThrow(/policiesFromConfig\(\{ healthCheck \}\)/);
    expect(() => policiesFromConfig(cfg, { backend: backends } as never)).toThrow(
      /policiesFromConfig\(\{ backend \}\)/,
    );
    expect(() => policiesFromConfig({} as never)).toThrow(ConfigError);
  });
});

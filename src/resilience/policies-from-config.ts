/*
 * `policiesFromConfig(config, options)`: everything an `agentflow.toml`
 * describes, built and composed as one `pipeline` — retry (outermost), the
 * breaker, then the load balancer (with its strategy, health checks and
 * per-backend breakers) — each present only when its `enabled` flags say so
 * (the precedence rule is in docs/semantics.md, "Which flags turn what on").
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, functionOption, optionPath } from '../options/validate.js';
import type { AgentflowConfig } from './agentflow-schema.js';
import { type CircuitBreaker, type CircuitBreakerOptions, circuitBreaker } from './circuit-breaker.js';
import {
  breakerEnabled,
  breakerOptionsFromConfig,
  retryEnabled,
  retryOptionsFromConfig,
} from './config-converters.js';
import type { HealthCheckOptions } from './health-checker.js';
import { type Backend, type LoadBalancer, type LoadBalancerOptions, loadBalancer } from './load-balancer.js';
import { loadBalancerEnabled, loadBalancerOptionsFromConfig } from './load-balancer-config.js';
import type { PolicyOptions } from './options.js';
import { POLICY_KEYS, policyName } from './options.js';
import { type Pipeline, type PipelinePolicy, pipeline } from './pipeline.js';
import { type RetryOptions, type RetryPolicy, retry } from './retry.js';

/** The factories a simulation offers (`sim`): primitives bound to the run's clock, random stream and trace. */
export interface PolicyFactories {
  retry(name: string, options?: Omit<RetryOptions, 'name' | 'clock' | 'trace'>): RetryPolicy;
  breaker(name: string, options?: Omit<CircuitBreakerOptions, 'name' | 'clock' | 'trace'>): CircuitBreaker;
  loadBalancer<B extends Backend>(
    name: string,
    options: Omit<LoadBalancerOptions<B>, 'name' | 'clock' | 'trace'>,
  ): LoadBalancer<B>;
}

export interface PoliciesFromConfigOptions<B extends Backend = Backend> extends PolicyOptions {
  /** Build every primitive with `sim.retry(name, …)`, `sim.breaker(…)`, `sim.loadBalancer(…)`. */
  sim?: PolicyFactories;
  /** Name of each primitive built. Default `'policy'`. */
  name?: string;
  /** Use `[providers.<provider>.*]` over the global tables. */
  provider?: string;
  /** Backends for the load balancer (`[mcp.production]`); without them there is no load balancer. */
  backends?: readonly B[];
  /** The health check for `[load_balancer] health_check_interval` (required when that key is set). */
  healthCheck?: HealthCheckOptions<B>['check'];
}

/** What `policiesFromConfig` built: each primitive (absent when the config turns it off) and their pipeline. */
export interface ConfiguredPolicies<B extends Backend = Backend> {
  retry: RetryPolicy | undefined;
  breaker: CircuitBreaker | undefined;
  loadBalancer: LoadBalancer<B> | undefined;
  /** `retry → breaker → loadBalancer`, outermost first, of those present. */
  pipeline: Pipeline;
}

const OWNER = 'policiesFromConfig';
const KEYS = [...POLICY_KEYS, 'sim', 'provider', 'backends', 'healthCheck'];

/**
 * Builds the retry, breaker and load balancer an `agentflow.toml` describes, as
 * one pipeline, honouring every `enabled` flag.
 *
 * @example
 * ```ts
 * const cfg = await loadAgentflowConfig('agentflow.toml');
 * const { pipeline: policy } = policiesFromConfig(cfg, { sim, name: 'llm' });
 * await policy.execute((signal) => openai.chat.completions.create(body, { signal }));
 * ```
 */
export function policiesFromConfig<B extends Backend = Backend>(
  config: AgentflowConfig,
  options: PoliciesFromConfigOptions<B> = {},
): ConfiguredPolicies<B> {
  if (typeof config !== 'object' || config === null || !Array.isArray(config.warnings)) {
    throw new ConfigError(
      `${OWNER}(config)`,
      config,
      'a parsed agentflow.toml (parseAgentflowConfig / loadAgentflowConfig)',
    );
  }
  const o = checkOptions(OWNER, options, KEYS);
  const name = policyName(OWNER, o.name, 'policy');
  const check = functionOption<HealthCheckOptions<B>['check']>(
    optionPath(OWNER, 'healthCheck'),
    o.healthCheck,
  );
  const shared = { clock: o.clock, random: o.random, trace: o.trace };
  const sim = o.sim;

  const retryPolicy = retryEnabled(config, o.provider)
    ? sim
      ? sim.retry(name, retryOptionsFromConfig(config, o.provider))
      : retry({ ...retryOptionsFromConfig(config, o.provider), ...shared, name })
    : undefined;
  const breaker = breakerEnabled(config, o.provider)
    ? sim
      ? sim.breaker(name, breakerOptionsFromConfig(config, o.provider))
      : circuitBreaker({ ...breakerOptionsFromConfig(config, o.provider), ...shared, name })
    : undefined;

  let balancer: LoadBalancer<B> | undefined;
  if (o.backends !== undefined) {
    let lbOptions: Omit<LoadBalancerOptions<B>, 'name' | 'clock' | 'trace'>;
    if (loadBalancerEnabled(config)) {
      const fromConfig = loadBalancerOptionsFromConfig(config);
      lbOptions = { backends: o.backends, strategy: fromConfig.strategy };
      if (fromConfig.breaker !== undefined) lbOptions.breaker = fromConfig.breaker;
      if (fromConfig.healthCheck !== undefined && check === undefined) {
        throw new ConfigError(
          optionPath(OWNER, 'healthCheck'),
          undefined,
          'a function (backend, signal) => boolean | Promise<boolean>, because [load_balancer] health_check_interval is set',
        );
      }
      if (check !== undefined) {
        lbOptions.healthCheck = { interval: 10_000, ...fromConfig.healthCheck, check };
      }
    } else {
      // [mcp.production] enabled = false: no balancing; every call goes to the first backend.
      lbOptions = { backends: o.backends.slice(0, 1), maxFailover: 0 };
    }
    balancer = sim
      ? sim.loadBalancer(name, lbOptions)
      : loadBalancer<B>({ ...lbOptions, random: o.random, clock: o.clock, trace: o.trace, name });
  }
  const layers: PipelinePolicy[] = [];
  if (retryPolicy) layers.push(retryPolicy);
  if (breaker) layers.push(breaker);
  if (balancer) layers.push(balancer);
  return { retry: retryPolicy, breaker, loadBalancer: balancer, pipeline: pipeline(...layers) };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { arb } from '../../src/properties/arbitraries/index.js';
import { bulkhead } from '../../src/resilience/bulkhead.js';
import { hedge } from '../../src/resilience/hedge.js';
import { loadBalancer } from '../../src/resilience/load-balancer.js';
import { rateLimiter } from '../../src/resilience/rate-limiter.js';

/*
 * arb.bulkheadConfig / rateLimiterConfig / loadBalancerConfig / hedgeConfig:
 * every value is accepted as it is by the primitive (strict options: no key it
 * rejects), and shrinking reaches the simplest configuration.
 */

const backends = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
const names = backends.map((b) => b.name);

/** The fully shrunk value: fast-check's smallest counterexample of a property that always fails. */
function smallest<T>(a: fc.Arbitrary<T>): T {
  const details = fc.check(
    fc.property(a, () => false),
    { seed: 7, numRuns: 1 },
  );
  return details.counterexample![0] as T;
}

describe('pattern arbitraries', () => {
  it('generate options the primitives accept as they are', () => {
    fc.assert(
      fc.property(
        arb.bulkheadConfig(),
        arb.rateLimiterConfig(),
        arb.hedgeConfig(),
        arb.loadBalancerConfig({ backends: names }),
        (b, r, h, lb) => {
          expect(bulkhead(b).maxConcurrent).toBe(b.maxConcurrent);
          expect(rateLimiter(r).burst).toBe(r.burst);
          expect(hedge(h).maxAttempts).toBe(h.maxAttempts);
          const { healthCheck, ...rest } = lb;
          const balancer = loadBalancer({
            ...rest,
            backends,
            ...(healthCheck ? { healthCheck: { ...healthCheck, check: () => true } } : {}),
          });
          expect(balancer.strategy).toBe(lb.strategy);
          balancer.close();
          if (r.mode === 'reject') expect(r).not.toHaveProperty('maxWait');
          if (lb.strategy !== 'weighted') expect(lb).not.toHaveProperty('weights');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shrink toward the simplest configuration', () => {
    expect(smallest(arb.bulkheadConfig())).toEqual({ maxConcurrent: 1, maxQueue: 0 });
    expect(smallest(arb.rateLimiterConfig())).toEqual({ rate: 1, burst: 1, mode: 'reject' });
    expect(smallest(arb.hedgeConfig())).toEqual({ delay: 1, maxAttempts: 1 });
    expect(smallest(arb.loadBalancerConfig({ backends: names }))).toEqual({
      strategy: 'round_robin',
      maxFailover: 0,
    });
    expect(smallest(arb.workload({ agentsUpTo: 8 }))).toEqual({ agents: 1, requests: 1, gapMs: 0 });
  });

  it('draw only the strategies asked for, and breakers only when allowed', () => {
    fc.assert(
      fc.property(
        arb.loadBalancerConfig({ backends: names, strategies: ['weighted'], breaker: false }),
        (lb) => {
          expect(lb.strategy).toBe('weighted');
          expect(Object.keys(lb.weights!)).toEqual(names);
          expect(lb).not.toHaveProperty('breaker');
        },
      ),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(arb.workload({ agentsUpTo: 8, requestsUpTo: 3 }), (w) => {
        expect(w.agents).toBeLessThanOrEqual(8);
        expect(w.requests).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('reject bad options with ConfigError', () => {
    expect(() => arb.loadBalancerConfig({ backends: [] })).toThrow(ConfigError);
    expect(() => arb.loadBalancerConfig({ backends: ['a', 'a'] })).toThrow(/unique names/);
    expect(() => arb.loadBalancerConfig({ backends: ['a'], strategies: ['fastest' as never] })).toThrow(
      /strategies/,
    );
    expect(() => arb.loadBalancerConfig({ backends: ['a'], extra: 1 } as never)).toThrow(/extra/);
    expect(() => arb.workload({ agentsUpTo: 0 })).toThrow(/agentsUpTo/);
    expect(() => arb.workload({ agents: 3 } as never)).toThrow(/agents/);
  });
});

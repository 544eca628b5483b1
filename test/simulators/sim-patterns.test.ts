import { describe, expect, it } from 'vitest';
import {
  BulkheadRejectedError,
  bulkhead,
  cache,
  dist,
  fallback,
  hedge,
  loadAgentflowConfig,
  loadBalancer,
  NoHealthyBackendError,
  pipeline,
  policiesFromConfig,
  RateLimitedError,
  rateLimiter,
  type Sim,
  simulate,
} from '../../src/index.js';

/*
 * sim.bulkhead / rateLimiter / loadBalancer / fallback / hedge / cache: the same
 * primitives as the top-level factories, bound to the run's virtual clock,
 * seeded random streams and trace.
 */

async function world(sim: Sim) {
  const replicas = ['r0', 'r1', 'r2'].map((name) =>
    sim.service(name, {
      latency: dist.uniform('50ms', '400ms'),
      handle: (q: string) => `${name}:${q}`,
    }),
  );
  const lb = sim.loadBalancer('replicas', { backends: replicas, strategy: 'random' });
  const pool = sim.bulkhead('pool', { maxConcurrent: 2, maxQueue: 3 });
  const limiter = sim.rateLimiter('limiter', { rate: '4/s', burst: 2, mode: 'wait' });
  const h = sim.hedge('hedge', { delay: '150ms', maxAttempts: 2 });
  const answers = sim.cache<string, string>('answers', { ttl: '2s' });
  const chain = (q: string) =>
    sim.fallback('answer', [
      [
        'live',
        (_e, signal) =>
          answers.get(
            q,
            (s) =>
              pipeline(limiter, pool).execute(
                (s2) => h.execute((_a, s3) => lb.execute((r, s4) => r.call(q, { signal: s4 }), s3), s2),
                s,
              ),
            signal,
          ),
      ],
      ['stale', () => answers.stale(q) ?? Promise.reject(new Error('nothing cached'))],
    ]);
  const results = await Promise.allSettled(
    Array.from({ length: 12 }, (_, i) => chain(`q${i % 5}`).execute()),
  );
  return results.map((r) => (r.status === 'fulfilled' ? r.value : `error: ${(r.reason as Error).name}`));
}

describe('sim.<pattern>: bound to the run', () => {
  it('every primitive traces under its name on virtual time, and runs reproduce from the seed', async () => {
    const a = await simulate({ seed: 5 }, world);
    expect(a.error).toBeUndefined();
    expect(a.value!.every((v) => /^r\d:q\d$/.test(v))).toBe(true);
    const declared = a.trace.events.filter((e) => e.kind.endsWith('.declared')).map((e) => e.actor);
    expect(declared).toEqual(
      expect.arrayContaining(['replicas', 'pool', 'limiter', 'hedge', 'answers', 'answer']),
    );
    // the limiter spaced grants 250 ms apart after its burst of 2
    const grants = a.trace.ofKind('rate-limiter.granted').map((e) => e.t);
    expect(grants.slice(0, 4)).toEqual([0, 0, 250, 500]);
    expect(a.trace.ofKind('cache.coalesced').length).toBeGreaterThan(0);
    const b = await simulate({ seed: 5 }, world);
    expect(b.trace.hash).toBe(a.trace.hash);
    const c = await simulate({ seed: 6 }, world);
    expect(c.trace.hash).not.toBe(a.trace.hash);
  });

  it('the factories and errors are exported from faultline', () => {
    for (const f of [
      bulkhead,
      rateLimiter,
      loadBalancer,
      fallback,
      hedge,
      cache,
      pipeline,
      policiesFromConfig,
    ]) {
      expect(typeof f).toBe('function');
    }
    expect(new NoHealthyBackendError('lb').code).toBe('NO_HEALTHY_BACKEND');
    expect(BulkheadRejectedError.is(new BulkheadRejectedError())).toBe(true);
    expect(RateLimitedError.is(new RateLimitedError())).toBe(true);
  });

  it('sim options are validated: unknown keys and bad values throw ConfigError', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const errors: string[] = [];
      const attempt = (f: () => unknown) => {
        try {
          f();
        } catch (e) {
          errors.push((e as Error).message);
        }
      };
      attempt(() => sim.bulkhead('x', { maxConcurrent: 1, size: 2 } as never));
      attempt(() => sim.rateLimiter('x', { rate: 'fast' }));
      attempt(() => sim.loadBalancer('x', { backends: [] }));
      attempt(() => sim.hedge('x', { delay: '1s', maxAttempts: 0 }));
      attempt(() => sim.cache('x', { ttl: -5 }));
      attempt(() => sim.fallback('x', []));
      return errors;
    });
    expect(result.value).toHaveLength(6);
    expect(result.value![0]).toMatch(/bulkhead\(\{ size \}\)/);
  });

  it('policiesFromConfig({ sim }) builds sim-bound policies from agentflow.toml', async () => {
    const result = await simulate({ seed: 3 }, async (sim) => {
      const cfg = await loadAgentflowConfig('examples/agentflow.toml');
      const backends = [
        sim.service('east', { latency: '100ms', handle: () => 'east' }),
        sim.service('west', { latency: '100ms', handle: () => 'west' }),
      ];
      const built = policiesFromConfig(cfg, { sim, name: 'llm', backends });
      const out: string[] = [];
      for (let i = 0; i < 4; i++) {
        out.push(
          await built.pipeline.execute((signal, { backend }) =>
            (backend as (typeof backends)[0]).call(null, { signal }),
          ),
        );
      }
      return { out, breakers: built.loadBalancer!.metrics().map((m) => m.breaker) };
    });
    expect(result.value).toEqual({ out: ['east', 'west', 'east', 'west'], breakers: ['closed', 'closed'] });
    expect(result.trace.ofKind('load-balancer.declared')[0]).toMatchObject({
      actor: 'llm',
      data: { strategy: 'round_robin', breakers: { east: 'llm/east', west: 'llm/west' } },
    });
    expect(result.trace.ofKind('retry.attempt')[0]!.actor).toBe('llm');
  });

  it('a load balancer with no eligible backend inside a run rejects with NoHealthyBackendError', async () => {
    const result = await simulate({ seed: 2 }, async (sim) => {
      const down = sim.service('down', { handle: () => 'x' });
      const lb = sim.loadBalancer('lb', {
        backends: [down],
        healthCheck: { interval: '1s', check: () => false, unhealthyThreshold: 2 },
      });
      await sim.sleep('2500ms'); // the second failed check is at exactly 2 s
      const error = await lb.execute((s) => s.call(null)).catch((e: unknown) => e);
      lb.close();
      return error;
    });
    expect(result.value).toBeInstanceOf(NoHealthyBackendError);
    expect(result.trace.ofKind('load-balancer.health')).toMatchObject([
      { t: 2000, data: { healthy: false } },
    ]);
  });
});

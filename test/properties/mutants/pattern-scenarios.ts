/*
 * The pattern properties the mutant suite runs: callers going through a
 * bulkhead, a rate limiter, a load balancer or a hedge, each either faultline's
 * own primitive (`'faultline'`), the correct hand-written one
 * (`'hand-written'`), or a hand-written mutant (its bug's name). Options and
 * workloads are generated (`arb.*`); the judge is the pattern's invariant.
 */
import fc from 'fast-check';
import { arb } from '../../../src/properties/arbitraries/index.js';
import type { CheckResilienceOptions } from '../../../src/properties/check-resilience.js';
import { invariants } from '../../../src/properties/invariants/index.js';
import { dist } from '../../../src/random/dist.js';
import type { Service } from '../../../src/simulators/services/service.js';
import type { Sim } from '../../../src/simulators/sim.js';
import { type BalancerBug, HandBalancer } from './balancers.js';
import { type BulkheadBug, HandBulkhead } from './bulkheads.js';
import { HandHedge, type HedgeBug } from './hedges.js';
import { HandRateLimiter, type RateLimiterBug } from './rate-limiters.js';

/** Which implementation runs: faultline's primitive, the correct hand-written one, or a mutant. */
export type Subject<Bug extends string> = 'faultline' | 'hand-written' | Bug;

function label(pattern: string, subject: string): string {
  return subject === 'faultline'
    ? `faultline ${pattern}`
    : `hand-written ${pattern}${subject === 'hand-written' ? '' : `: ${subject}`}`;
}

/**
 * Runs (traces) in which each event kind of interest occurred, per kind: the
 * tests read it to show the properties exercise what they judge (queues,
 * abandonment, waits, ejections, health changes, open breakers, aborted hedges).
 */
export const exercised = new Map<string, number>();

function tally(sim: Sim, kinds: readonly string[]): void {
  for (const kind of kinds) {
    const hit =
      kind === 'breaker.opened'
        ? sim.trace.ofKind('breaker.state').some((e) => e.data?.to === 'open')
        : sim.trace.ofKind(kind).length > 0;
    if (hit) exercised.set(kind, (exercised.get(kind) ?? 0) + 1);
  }
}

/** `agents` tasks, each making `requests` calls of `call(agent, i)` `gapMs` apart. */
async function drive(
  sim: Sim,
  load: { agents: number; requests: number; gapMs: number },
  call: (agent: number, i: number) => Promise<unknown>,
): Promise<void> {
  const agent = (a: number) => async () => {
    for (let i = 0; i < load.requests; i++) {
      await call(a, i).catch(() => undefined);
      await sim.sleep(load.gapMs);
    }
  };
  await Promise.all(Array.from({ length: load.agents }, (_, a) => sim.spawn(`agent-${a}`, agent(a))));
}

const bulkheadArbitraries = {
  config: arb.bulkheadConfig(),
  load: arb.workload({ agentsUpTo: 8, requestsUpTo: 10 }),
  workMs: fc.integer({ min: 1, max: 1000 }),
  patienceMs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
};

export function bulkheadProperty(
  subject: Subject<BulkheadBug>,
): CheckResilienceOptions<typeof bulkheadArbitraries> {
  return {
    name: label('bulkhead', subject),
    failures: false,
    arbitraries: bulkheadArbitraries,
    invariants: [invariants.bulkhead()],
    scenario: async (sim, { config, load, workMs, patienceMs }) => {
      const pool =
        subject === 'faultline'
          ? sim.bulkhead('pool', config)
          : new HandBulkhead(
              sim.trace,
              'pool',
              config,
              () => sim.now(),
              subject === 'hand-written' ? undefined : subject,
            );
      const random = sim.random.fork('work');
      await drive(sim, load, () => {
        const signal = patienceMs === undefined ? undefined : AbortSignal.timeout(patienceMs);
        return pool.execute(() => sim.sleep(1 + random.next() * workMs), signal);
      });
      tally(sim, ['bulkhead.queued', 'bulkhead.rejected', 'bulkhead.abandoned']);
    },
  };
}

const rateLimiterArbitraries = {
  config: arb.rateLimiterConfig(),
  load: arb.workload({ agentsUpTo: 8, requestsUpTo: 20 }),
};

export function rateLimiterProperty(
  subject: Subject<RateLimiterBug>,
): CheckResilienceOptions<typeof rateLimiterArbitraries> {
  return {
    name: label('rate limiter', subject),
    failures: false,
    arbitraries: rateLimiterArbitraries,
    invariants: [invariants.rateLimiter()],
    scenario: async (sim, { config, load }) => {
      const limiter =
        subject === 'faultline'
          ? sim.rateLimiter('limiter', config)
          : new HandRateLimiter(
              sim.trace,
              'limiter',
              config,
              () => sim.now(),
              subject === 'hand-written' ? undefined : subject,
            );
      await drive(sim, load, () => limiter.execute(() => sim.sleep(10)));
      tally(sim, ['rate-limiter.queued', 'rate-limiter.rejected']);
    },
  };
}

const NAMES = ['a', 'b', 'c', 'd'];

const balancerArbitraries = (
  strategies: readonly ('round_robin' | 'weighted' | 'least_connections' | 'random' | 'performance_based')[],
  breaker: boolean,
) => ({
  lb: fc.integer({ min: 2, max: 4 }).chain((n) =>
    fc.record({
      backends: fc.constant(NAMES.slice(0, n)),
      config: arb.loadBalancerConfig({ backends: NAMES.slice(0, n), strategies, breaker }),
    }),
  ),
  faults: fc.array(arb.faultPlan({ horizon: '20s', kinds: ['errors', 'outage'], maxFaults: 2 }), {
    minLength: 4,
    maxLength: 4,
  }),
  load: arb.workload({ agentsUpTo: 6, requestsUpTo: 20 }),
});
type BalancerArbitraries = ReturnType<typeof balancerArbitraries>;

export function loadBalancerProperty(
  subject: Subject<BalancerBug>,
): CheckResilienceOptions<BalancerArbitraries> {
  const own = subject === 'faultline';
  return {
    name: label('load balancer', subject),
    failures: false,
    // The hand-written balancer does round-robin and weighted, without per-backend breakers.
    arbitraries: own
      ? balancerArbitraries(
          ['round_robin', 'weighted', 'least_connections', 'random', 'performance_based'],
          true,
        )
      : balancerArbitraries(['round_robin', 'weighted'], false),
    invariants: [invariants.loadBalancer()],
    scenario: async (sim, { lb: { backends, config }, faults, load }) => {
      const services = backends.map((name, k) =>
        sim.service(name, { latency: dist.uniform(5, 200), faults: faults[k]!, handle: () => name }),
      );
      const check = (s: Service, signal?: AbortSignal) =>
        s.call('ping', { signal }).then(
          () => true,
          () => false,
        );
      const { healthCheck, ...rest } = config;
      const balancer = own
        ? sim.loadBalancer('lb', {
            ...rest,
            backends: services,
            ...(healthCheck ? { healthCheck: { ...healthCheck, check } } : {}),
          })
        : new HandBalancer(
            sim.trace,
            'lb',
            services,
            config,
            (s) => check(s),
            () => sim.now(),
            subject === 'hand-written' ? undefined : subject,
          );
      try {
        await drive(sim, load, (_a, i) => balancer.execute((backend, signal) => backend.call(i, { signal })));
      } finally {
        balancer.close();
      }
      tally(sim, [
        'load-balancer.ejected',
        'load-balancer.health',
        'breaker.opened',
        'load-balancer.no-backend',
      ]);
    },
  };
}

const hedgeArbitraries = {
  config: arb.hedgeConfig(),
  latencyMs: fc.integer({ min: 1, max: 3000 }),
  faults: arb.faultPlan({ horizon: '20s', kinds: ['errors', 'outage'], maxFaults: 2 }),
  load: arb.workload({ agentsUpTo: 4, requestsUpTo: 10 }),
};

export function hedgeProperty(subject: Subject<HedgeBug>): CheckResilienceOptions<typeof hedgeArbitraries> {
  return {
    name: label('hedge', subject),
    failures: false,
    arbitraries: hedgeArbitraries,
    invariants: [invariants.hedge()],
    scenario: async (sim, { config, latencyMs, faults, load }) => {
      const svc = sim.service('svc', { latency: dist.uniform(0, latencyMs), faults, handle: () => 'ok' });
      const h =
        subject === 'faultline'
          ? sim.hedge('hedge', config)
          : new HandHedge(sim.trace, 'hedge', config, subject === 'hand-written' ? undefined : subject);
      await drive(sim, load, (_a, i) => h.execute((_attempt, signal) => svc.call(i, { signal })));
      tally(sim, ['hedge.aborted', 'hedge.exhausted', 'hedge.late']);
    },
  };
}

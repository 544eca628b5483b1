import type fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CheckResilienceOptions,
  checkResilience,
  type ResilienceCheckError,
} from '../../src/properties/check-resilience.js';
import type { BalancerBug } from './mutants/balancers.js';
import type { BulkheadBug } from './mutants/bulkheads.js';
import { caught } from './mutants/caught.js';
import type { HedgeBug } from './mutants/hedges.js';
import {
  bulkheadProperty,
  exercised,
  hedgeProperty,
  loadBalancerProperty,
  rateLimiterProperty,
  type Subject,
} from './mutants/pattern-scenarios.js';
import type { RateLimiterBug } from './mutants/rate-limiters.js';

/*
 * The proof that the pattern invariants catch bugs through `checkResilience`:
 * every hand-written mutant of a bulkhead, rate limiter, load balancer and hedge
 * fails within the default numRuns (100) over generated options and workloads,
 * with a seed that reproduces it; the correct hand-written versions pass, and
 * faultline's own primitives pass the same properties over 300 runs each.
 */

function row(bug: string, e: ResilienceCheckError): string {
  return `| ${bug} | ${e.violations[0]!.invariant}: ${e.violations[0]!.message} | ${e.runs.untilFailure} | ${e.runs.shrinks} | ${JSON.stringify(e.counterexample).length} chars: \`${JSON.stringify(e.counterexample)}\` | ${e.simulationSeed} |`;
}

interface Pattern<Bug extends string> {
  name: string;
  invariant: string;
  /** Event kinds faultline's own runs must have produced (the property is not vacuous). */
  kinds: string[];
  property: (subject: Subject<Bug>) => CheckResilienceOptions<Record<string, fc.Arbitrary<unknown>>>;
  bugs: Bug[];
}

function pattern<Bug extends string, A extends Record<string, fc.Arbitrary<unknown>>>(
  name: string,
  invariant: string,
  kinds: string[],
  property: (subject: Subject<Bug>) => CheckResilienceOptions<A>,
  bugs: Bug[],
): Pattern<Bug> {
  return {
    name,
    invariant,
    kinds,
    property: property as unknown as Pattern<Bug>['property'],
    bugs,
  };
}

const PATTERNS = [
  pattern(
    'bulkhead',
    'bulkhead',
    ['bulkhead.queued', 'bulkhead.rejected', 'bulkhead.abandoned'],
    bulkheadProperty,
    ['admits one over maxConcurrent', 'LIFO queue'] as BulkheadBug[],
  ),
  pattern(
    'rate limiter',
    'rateLimiter',
    ['rate-limiter.queued', 'rate-limiter.rejected'],
    rateLimiterProperty,
    ['refills too fast', 'bucket starts over burst'] as RateLimiterBug[],
  ),
  pattern(
    'load balancer',
    'loadBalancer',
    ['load-balancer.ejected', 'load-balancer.health', 'breaker.opened', 'load-balancer.no-backend'],
    loadBalancerProperty,
    [
      'round-robin skips a backend',
      'weighted subtracts its own weight',
      'routes to ejected backends',
      'routes to unhealthy backends',
    ] as BalancerBug[],
  ),
  pattern('hedge', 'hedge', ['hedge.aborted', 'hedge.exhausted', 'hedge.late'], hedgeProperty, [
    'one attempt too many',
    'losers not aborted',
  ] as HedgeBug[]),
] as Pattern<string>[];

for (const p of PATTERNS) {
  describe(`${p.name}: mutants are caught by checkResilience`, () => {
    it.each(p.bugs)('%s', async (bug) => {
      const e = await caught(p.property(bug));
      expect(e.violations[0]!.invariant).toBe(p.invariant);
      expect(e.runs.untilFailure).toBeLessThanOrEqual(100);
      // the seed reproduces it: the same inputs and simulation seed fail again
      const again = await caught({ ...p.property(bug), path: e.fastCheck.path, seed: e.fastCheck.seed });
      expect(again.simulationSeed).toBe(e.simulationSeed);
      expect(JSON.stringify(again.counterexample)).toBe(JSON.stringify(e.counterexample));
      if (process.env.FAULTLINE_MUTANT_TABLE) console.log(row(bug, e));
    });

    it('the correct hand-written one passes', async () => {
      await expect(checkResilience({ ...p.property('hand-written'), numRuns: 150 })).resolves.toMatchObject({
        numRuns: 150,
      });
    });

    it('faultline’s own passes over 300 runs, which exercise every rule', async () => {
      exercised.clear();
      await expect(checkResilience({ ...p.property('faultline'), numRuns: 300 })).resolves.toMatchObject({
        numRuns: 300,
      });
      for (const kind of p.kinds) expect(exercised.get(kind) ?? 0, kind).toBeGreaterThan(10);
      if (process.env.FAULTLINE_MUTANT_TABLE) console.log(p.name, JSON.stringify([...exercised]));
    });
  });
}

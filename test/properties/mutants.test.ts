import { describe, expect, it } from 'vitest';
import { checkResilience, type ResilienceCheckError } from '../../src/properties/check-resilience.js';
import type { BreakerBug } from './mutants/breakers.js';
import { caught } from './mutants/caught.js';
import type { RetryBug } from './mutants/retries.js';
import { breakerProperty, retryProperty } from './mutants/scenarios.js';

/*
 * The proof that the catalog catches bugs: every hand-written mutant fails
 * `checkResilience` within the default numRuns (100), with a seed that
 * reproduces it, and the correct hand-written versions pass.
 */

const BREAKER_BUGS: BreakerBug[] = [
  'off-by-one threshold',
  'half-open admits everyone',
  'never half-opens',
  'half-opens early',
  'closes on the first probe success',
  'late results reopen',
  'counts failures, not consecutive ones',
];
const RETRY_BUGS: RetryBug[] = [
  'retries permanent errors',
  'one retry too many',
  'jitter above the cap',
  'delay overflow at large attempt numbers',
  'retry after abort',
  'Retry-After ignored',
];

function row(bug: string, e: ResilienceCheckError): string {
  const faults = (e.counterexample as { faults?: unknown[] }).faults?.length ?? 0;
  return `| ${bug} | ${e.violations[0]!.invariant} | ${e.runs.untilFailure} | ${e.runs.shrinks} | ${faults} fault(s), ${JSON.stringify(e.counterexample).length} chars | ${e.simulationSeed} |`;
}

describe('mutant breakers are caught', () => {
  it.each(BREAKER_BUGS)('%s', async (bug) => {
    const e = await caught(breakerProperty(bug));
    expect(e.violations[0]!.invariant).toBe('breaker');
    expect(e.runs.untilFailure).toBeLessThanOrEqual(100);
    // the seed reproduces it: the same inputs and simulation seed fail again
    const again = await caught({ ...breakerProperty(bug), path: e.fastCheck.path, seed: e.fastCheck.seed });
    expect(again.simulationSeed).toBe(e.simulationSeed);
    if (process.env.FAULTLINE_MUTANT_TABLE) console.log(row(bug, e));
  });

  it('the correct hand-written breaker passes', async () => {
    await expect(checkResilience({ ...breakerProperty(), numRuns: 150 })).resolves.toMatchObject({
      numRuns: 150,
    });
  });
});

describe('mutant retries are caught', () => {
  it.each(RETRY_BUGS)('%s', async (bug) => {
    const e = await caught(retryProperty(bug));
    expect(e.violations[0]!.invariant).toBe('retry');
    expect(e.runs.untilFailure).toBeLessThanOrEqual(100);
    const again = await caught({ ...retryProperty(bug), path: e.fastCheck.path, seed: e.fastCheck.seed });
    expect(again.simulationSeed).toBe(e.simulationSeed);
    if (process.env.FAULTLINE_MUTANT_TABLE) console.log(row(bug, e));
  });

  it('the correct hand-written retry passes', async () => {
    await expect(checkResilience({ ...retryProperty(), numRuns: 150 })).resolves.toMatchObject({
      numRuns: 150,
    });
  });
});

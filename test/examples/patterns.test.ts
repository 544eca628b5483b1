import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cascadingFailure, cascadingFailureExample } from '../../examples/cascading-failure.js';
import {
  type FailoverSummary,
  loadBalancerFailover,
  loadBalancerFailoverExample,
  OUTAGE,
} from '../../examples/load-balancer-failover.js';
import { retryStormExample } from '../../examples/retry-storm.js';
import { type SimulationResult, simulate } from '../../src/index.js';

/*
 * The pattern examples run as tests: their printed reports and the traces behind
 * them. `npm run demo:patterns` prints the same reports (checked in a separate
 * process, which also shows they reproduce from their seeds).
 */

let failover: SimulationResult<FailoverSummary> | undefined;
async function runFailover() {
  failover ??= await simulate({ name: 'load-balancer-failover', seed: 11 }, loadBalancerFailover);
  return failover;
}

describe('examples/load-balancer-failover.ts', () => {
  it('spreads traffic evenly while healthy, none to the downed endpoint, and takes it back after healing', async () => {
    const result = await runFailover();
    expect(result.error).toBeUndefined();
    const { perMinute, failed } = result.value!;
    expect(failed).toBe(0); // failover absorbed every failed call
    for (const m of [0, 1, 2, 6, 7]) {
      const counts = Object.values(perMinute[m]!);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
      expect(Math.min(...counts)).toBeGreaterThan(40);
    }
    expect(perMinute[3]!['model-b']).toBe(0);
    expect(perMinute[4]!['model-b']).toBe(0);
    expect(perMinute[5]!['model-b']).toBeGreaterThan(40);
    const t = result.trace;
    // traffic shifts within the thresholds: ejected after 3 failures, unhealthy after 2 checks (5 s apart)
    const ejected = t.ofKind('load-balancer.ejected')[0]!;
    const unhealthy = t.ofKind('load-balancer.health').find((e) => !e.data.healthy)!;
    expect(ejected.data.backend).toBe('model-b');
    expect(ejected.t - OUTAGE.at).toBeLessThan(10_000);
    expect(unhealthy.t - OUTAGE.at).toBeLessThanOrEqual(2 * 5_000 + 2_000);
    const picksOfB = t.ofKind('load-balancer.picked').filter((e) => e.data.backend === 'model-b');
    const during = picksOfB.filter((e) => e.t > unhealthy.t && e.t < OUTAGE.at + OUTAGE.for);
    expect(during).toEqual([]);
    // back within two passing checks of healing
    const healthy = t.ofKind('load-balancer.health').find((e) => e.data.healthy)!;
    expect(healthy.t).toBeGreaterThanOrEqual(OUTAGE.at + OUTAGE.for);
    expect(healthy.t - (OUTAGE.at + OUTAGE.for)).toBeLessThanOrEqual(2 * 5_000 + 2_000);
    const firstBack = t
      .ofKind('load-balancer.success')
      .find((e) => e.data.backend === 'model-b' && e.t > OUTAGE.at);
    expect(firstBack!.t).toBeGreaterThanOrEqual(healthy.t);
    expect(firstBack!.t - healthy.t).toBeLessThan(5_000);
  });

  it('prints the traffic per endpoint per minute', async () => {
    const text = await loadBalancerFailoverExample();
    expect(text).toMatch(/^seed 11: \d+ requests, 0 failed/);
    expect(text).toMatch(/^\s+3\s+\d+\s+0\s+\d+$/m);
    expect(text).toMatch(/^\s+4\s+\d+\s+0\s+\d+$/m);
    expect(text).toMatch(/ejected at 18\d\.\d{3}s; unhealthy at 18\d\.\d{3}s; healthy again at 30\d\.\d{3}s/);
  });
});

describe('examples/retry-storm.ts', () => {
  it('no jitter and no budget amplify the load; full jitter and a budget keep it at or under 1.2x', async () => {
    const text = await retryStormExample();
    const [naive, careful] = [...text.matchAll(/amplification (\d+\.\d+)x/g)].map((m) => Number(m[1]));
    expect(naive).toBeGreaterThan(2);
    expect(careful).toBeLessThanOrEqual(1.2);
    expect(text).toContain('no jitter, no budget');
    expect(text).toContain('full jitter + retry budget');
  }, 60_000);
});

describe('examples/cascading-failure.ts', () => {
  it('a shared pool takes the healthy path down; a bulkhead per dependency plus a breaker keeps it above 99%', async () => {
    const text = await cascadingFailureExample();
    const rates = [...text.matchAll(/healthy path \(pricing\) (\d+\.\d+)% ok/g)].map((m) => Number(m[1]));
    expect(rates[0]).toBeLessThan(90);
    expect(rates[1]).toBeGreaterThan(99);
  }, 60_000);

  it('in the isolated design the breaker opens on the slow dependency and never on pricing', async () => {
    const result = await simulate({ seed: 7 }, (sim) => cascadingFailure(sim, true));
    const opened = result.trace.ofKind('breaker.state').filter((e) => e.data.to === 'open');
    expect(opened.length).toBeGreaterThan(0);
    for (const e of opened) {
      expect(e.actor).toBe('inventory');
      expect(e.t).toBeGreaterThanOrEqual(120_000);
    }
    expect(result.trace.ofKind('bulkhead.rejected').every((e) => e.actor === 'inventory-pool')).toBe(true);
  }, 60_000);
});

describe('npm run demo:patterns', () => {
  it('prints the three reports, identical in a fresh process', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'examples/patterns-demo.ts',
    ]);
    expect(stdout).toContain(await loadBalancerFailoverExample());
    expect(stdout).toContain(await retryStormExample());
    expect(stdout).toContain(await cascadingFailureExample());
  }, 120_000);
});

/*
 * Three model endpoints behind a round-robin load balancer with health checks and
 * outlier ejection. `model-b` is down from 3m to 5m: within a few seconds it is
 * ejected (three failures in a row) and marked unhealthy (two failed checks), its
 * share moves to the other two, and after it heals it returns within two passing
 * checks. Prints the traffic each endpoint got per minute.
 *
 * Run: npx tsx examples/load-balancer-failover.ts
 */
import { pathToFileURL } from 'node:url';
import { dist, faults, type Sim, type SimulationResult, simulate } from 'faultline';

export const OUTAGE = { at: 180_000, for: 120_000 };
const MINUTES = 8;
const NAMES = ['model-a', 'model-b', 'model-c'] as const;

export interface FailoverSummary {
  /** Successful calls per endpoint per minute: `perMinute[minute][endpoint]`. */
  perMinute: Record<string, number>[];
  requests: number;
  failed: number;
}

export async function loadBalancerFailover(sim: Sim): Promise<FailoverSummary> {
  const endpoints = NAMES.map((name) =>
    sim.service(name, {
      latency: dist.lognormal({ median: '300ms', p99: '2s' }),
      faults: name === 'model-b' ? [faults.outage({ at: OUTAGE.at, for: OUTAGE.for })] : [],
      handle: (prompt: string) => `${name}: ${prompt}`,
    }),
  );
  const lb = sim.loadBalancer('models', {
    backends: endpoints,
    strategy: 'round_robin',
    healthCheck: {
      interval: '5s',
      timeout: '2s',
      unhealthyThreshold: 2,
      healthyThreshold: 2,
      check: (endpoint, signal) => endpoint.call('ping', { signal }).then(() => true),
    },
    outlierEjection: { consecutiveFailures: 3, baseEjectionTime: '10s' },
    maxFailover: 1,
  });
  const perMinute: Record<string, number>[] = Array.from({ length: MINUTES }, () =>
    Object.fromEntries(NAMES.map((n) => [n, 0])),
  );
  let failed = 0;
  const load = await sim.workload.poisson({ rate: '3/s', for: `${MINUTES}m` }, async (i) => {
    try {
      await lb.execute((endpoint, signal) => endpoint.call(`prompt ${i}`, { signal }));
    } catch (error) {
      failed++;
      throw error;
    }
  });
  for (const e of sim.trace.ofKind('load-balancer.success')) {
    const minute = Math.floor(e.t / 60_000);
    if (minute < MINUTES) perMinute[minute]![e.data.backend]!++;
  }
  lb.close();
  return { perMinute, requests: load.started, failed };
}

/** The report the example prints. */
export function report(result: SimulationResult<FailoverSummary>): string {
  const v = result.value!;
  const t = result.trace;
  const lines = [`seed ${result.seed}: ${v.requests} requests, ${v.failed} failed`];
  lines.push(`minute  ${NAMES.map((n) => n.padStart(8)).join('')}`);
  v.perMinute.forEach((row, m) => {
    lines.push(`${String(m).padStart(6)}  ${NAMES.map((n) => String(row[n]).padStart(8)).join('')}`);
  });
  const down = t.ofKind('load-balancer.health').find((e) => !e.data.healthy);
  const up = t.ofKind('load-balancer.health').find((e) => e.data.healthy);
  const ejected = t.ofKind('load-balancer.ejected')[0];
  const fmt = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(3)}s`);
  lines.push(`model-b down at ${fmt(OUTAGE.at)}, healed at ${fmt(OUTAGE.at + OUTAGE.for)}`);
  lines.push(`ejected at ${fmt(ejected?.t)}; unhealthy at ${fmt(down?.t)}; healthy again at ${fmt(up?.t)}`);
  return lines.join('\n');
}

/** Runs the example (seed 11) and returns its report. */
export async function loadBalancerFailoverExample(): Promise<string> {
  const result = await simulate({ name: 'load-balancer-failover', seed: 11 }, loadBalancerFailover);
  if (result.error) throw result.error;
  return report(result);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await loadBalancerFailoverExample());
}

/*
 * Time compression (issue #4): one virtual hour of a 10-agent system, about
 * 100,000 service calls through retry + circuit breaker against services with
 * latency distributions, random errors, an outage window and rate limiting,
 * fully traced. Prints the wall time (median of several runs after a warm-up),
 * calls/s, trace events/s and virtual/wall ratio; then the same scenario with
 * the retry and breaker untraced (services, agents and workloads still traced).
 * Target: one virtual hour in ≤ 1 s of wall time. Machines are noisy: compare
 * numbers from one run.
 *
 * Run: npx tsx bench/time-compression.ts
 */
import {
  type CircuitBreaker,
  circuitBreaker,
  dist,
  faults,
  type RetryPolicy,
  retry,
  type Sim,
  type SimulationResult,
  simulate,
} from '../src/index.js';

const AGENTS = 10;
/** Requests per second per agent (Poisson); even agents call one service, odd agents two. */
const RATE = '1.9/s';

export type Mode = 'traced' | 'resilience untraced';

interface Guard {
  retry: RetryPolicy;
  breaker: CircuitBreaker;
}

const RETRY = {
  maxRetries: 3,
  baseDelay: '100ms',
  maxDelay: '2s',
  backoffFactor: 2,
  jitter: 'full',
} as const;
const BREAKER = { failureThreshold: 5, successThreshold: 3, timeout: '10s', maxConcurrentCalls: 2 } as const;

function guard(sim: Sim, name: string, mode: Mode): Guard {
  if (mode === 'traced') return { retry: sim.retry(name, RETRY), breaker: sim.breaker(name, BREAKER) };
  // Same policies on the run's clock and seeded streams, without a trace sink.
  return {
    retry: retry({ ...RETRY, name, clock: sim.clock, random: sim.rootRandom.fork(`retry:${name}`) }),
    breaker: circuitBreaker({ ...BREAKER, name, clock: sim.clock }),
  };
}

export function scenario(mode: Mode) {
  return async (sim: Sim) => {
    const search = sim.service('search', {
      latency: dist.lognormal({ median: '80ms', p99: '600ms' }),
      faults: [
        faults.outage({ at: '20m', for: '2m' }),
        faults.rateLimit({ limit: 40, per: '1s' }),
        faults.errors({ rate: 0.05, status: [500, 503] }),
      ],
      handle: (q: string) => [`result for ${q}`],
    });
    const model = sim.service('model', {
      latency: dist.lognormal({ median: '300ms', p99: '2s' }),
      faults: [
        faults.outage({ at: '40m', for: '1m', error: 'connection_refused' }),
        faults.rateLimit({ limit: 18, per: '1s', form: 'ms' }),
        faults.errors({ rate: 0.03, status: [500, 529] }),
      ],
      handle: (prompt: string) => ({ text: `answer to ${prompt}` }),
    });
    const searchGuard = guard(sim, 'search', mode);
    const modelGuard = guard(sim, 'model', mode);
    const through = <T>(g: Guard, call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal) =>
      g.retry.execute((_attempt, s) => g.breaker.execute(call, s), signal);

    const agents = Array.from({ length: AGENTS }, (_, k) =>
      sim.agent(
        `agent-${k}`,
        async (topic: string, { signal }) => {
          const hits = await through(searchGuard, (s) => search.call(topic, { signal: s }), signal);
          if (k % 2 === 0) return hits.length;
          const reply = await through(
            modelGuard,
            (s) => model.call(`${topic}: ${hits[0]}`, { signal: s }),
            signal,
          );
          return reply.text.length;
        },
        { timeout: '20s' },
      ),
    );
    await Promise.all(
      agents.map((agent, k) =>
        sim.workload.poisson({ rate: RATE, for: '1h' }, (i) => agent.run(`topic ${k}.${i}`)),
      ),
    );
  };
}

async function runOnce(mode: Mode): Promise<{ result: SimulationResult<void>; wallMs: number }> {
  const start = performance.now();
  const result = await simulate({ seed: 4, until: '1h' }, scenario(mode));
  const wallMs = performance.now() - start;
  if (result.error) throw result.error;
  return { result, wallMs };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(mode: Mode, rounds: number): Promise<void> {
  const { result } = await runOnce(mode); // warm-up
  const walls: number[] = [];
  for (let r = 0; r < rounds; r++) walls.push((await runOnce(mode)).wallMs);
  const wall = median(walls);
  const calls = result.trace.ofKind('service.call').length;
  const events = result.trace.length;
  const virtualMs = result.stats.virtualTimeMs;
  const byFault = new Map<string, number>();
  for (const e of result.trace.ofKind('fault.injected')) {
    const fault = String(e.data?.fault);
    byFault.set(fault, (byFault.get(fault) ?? 0) + 1);
  }
  const injected = [...byFault].map(([fault, n]) => `${n} ${fault}`).join(', ');
  const rejected = mode === 'traced' ? String(result.trace.ofKind('breaker.rejected').length) : 'untraced';
  console.log(`${mode}:`);
  console.log(
    `  virtual ${(virtualMs / 3_600_000).toFixed(2)} h, ${calls} service calls (faults: ${injected}; ${rejected} breaker rejections), ` +
      `${result.stats.steps} timer steps, ${events} trace events, ${result.stats.requests.started} requests`,
  );
  console.log(
    `  wall ${wall.toFixed(0)} ms (median of ${rounds}; min ${Math.min(...walls).toFixed(0)}, max ${Math.max(...walls).toFixed(0)})` +
      ` — ${(((calls / wall) * 1000) / 1e3).toFixed(0)} k calls/s, ${(((events / wall) * 1000) / 1e6).toFixed(2)} M events/s, ` +
      `virtual/wall ${(virtualMs / wall).toFixed(0)}×`,
  );
  console.log(`  trace hash ${result.trace.hash}`);
}

export async function main(rounds = 5): Promise<void> {
  console.log(`time compression: ${AGENTS} agents, Poisson ${RATE} each, retry + breaker + faults, until 1h`);
  await measure('traced', rounds);
  await measure('resilience untraced', rounds);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

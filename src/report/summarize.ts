import type { TraceEvent } from '../trace/event.js';
import { Trace } from '../trace/trace.js';
import { type LatencyStats, latencyStats } from './percentile.js';

/*
 * `summarize`: the numbers a user reads after a run, computed from the trace
 * alone (so a saved JSONL trace summarizes exactly like the live result). All
 * times are virtual milliseconds; rates are per virtual minute.
 */

/** A service's calls: outcomes, latency, throughput and errors by kind. */
export interface ServiceSummary {
  readonly name: string;
  readonly calls: number;
  /** Ended calls by outcome (`ok`, `error`, `aborted`). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Latency of ended calls. */
  readonly latency: LatencyStats;
  /** Ended calls per virtual minute over the run. */
  readonly throughputPerMinute: number;
  /** Failed ended calls ÷ ended calls (0 when none ended). */
  readonly errorRate: number;
  /** Failed calls by kind: the HTTP status (`'429'`), the error code (`'ECONNRESET'`) or `'aborted'`. */
  readonly errorsByKind: Readonly<Record<string, number>>;
  /** Injected faults by fault kind. */
  readonly faults: Readonly<Record<string, number>>;
}

/** An agent's runs. */
export interface AgentSummary {
  readonly name: string;
  readonly runs: number;
  readonly outcomes: { readonly ok: number; readonly failed: number };
  readonly latency: LatencyStats;
  readonly throughputPerMinute: number;
  readonly errorRate: number;
  /** Failed runs by error code or name (`'TIMEOUT'`, `'RETRY_EXHAUSTED'`, …). */
  readonly errorsByKind: Readonly<Record<string, number>>;
  /** Failed runs answered by the agent's fallback. */
  readonly fallbacks: number;
}

/** A workload's requests (each ends exactly once). */
export interface WorkloadSummary {
  readonly name: string;
  readonly requests: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly latency: LatencyStats;
  readonly throughputPerMinute: number;
  readonly errorRate: number;
  readonly errorsByKind: Readonly<Record<string, number>>;
}

/** A circuit breaker: virtual time spent in each state, transitions and rejections. */
export interface BreakerSummary {
  readonly name: string;
  /** Milliseconds in each state, from the start of the run to its end (a breaker starts closed). */
  readonly timeInState: Readonly<Record<string, number>>;
  readonly transitions: number;
  readonly opened: number;
  readonly admitted: number;
  readonly rejected: number;
  readonly failures: number;
}

/** A retry policy: requests, attempts and how retrying ended. */
export interface RetrySummary {
  readonly name: string;
  /** Executions (first attempts). */
  readonly requests: number;
  readonly attempts: number;
  /** Attempts after the first. */
  readonly retries: number;
  /** Attempts ÷ requests (1 means no retries; 0 when there were no requests). */
  readonly amplification: number;
  readonly succeeded: number;
  /** Executions that gave up, by reason (`max-retries`, `permanent`, `aborted`, …). */
  readonly gaveUp: Readonly<Record<string, number>>;
}

/** Everything `summarize` reports. */
export interface RunSummary {
  readonly seed: unknown;
  readonly name: string | undefined;
  /** `ok`, `failed` or `stopped` (from the `sim.end` event; `unknown` if the trace has none). */
  readonly outcome: string;
  readonly virtualTimeMs: number;
  readonly events: number;
  readonly hash: string;
  /** All workload requests together. */
  readonly requests: {
    readonly started: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly rejected: number;
    readonly pending: number;
  };
  readonly services: readonly ServiceSummary[];
  readonly agents: readonly AgentSummary[];
  readonly workloads: readonly WorkloadSummary[];
  readonly breakers: readonly BreakerSummary[];
  readonly retries: readonly RetrySummary[];
  /** Rejections by component (any `*.rejected` event: breakers, bulkheads, rate limiters). */
  readonly rejections: Readonly<Record<string, number>>;
  /** Fallbacks used, by component (agents' fallbacks and any `*.fallback` / `fallback.*` event). */
  readonly fallbacks: Readonly<Record<string, number>>;
}

/**
 * Per-service, per-agent, per-breaker and per-retry numbers for a run: calls,
 * outcomes, latency p50/p95/p99 (virtual), throughput per minute, error rate
 * and errors by kind, time in each breaker state, retry amplification,
 * rejections and fallbacks. Takes a result, a `Trace` or a list of events.
 *
 * @example
 * ```ts
 * const result = await simulate({ seed: 1 }, body);
 * const s = summarize(result);
 * s.services.find((x) => x.name === 'llm')?.latency.p99;
 * s.retries[0]?.amplification;
 * ```
 */
export function summarize(source: TraceSource): RunSummary {
  const trace = traceOf(source);
  const events = trace.events;
  const acc = new Accumulator();
  for (const e of events) acc.add(e);
  return acc.finish(events, trace.hash);
}

/** What the report functions take: a run's result, its `Trace`, or a list of events. */
export type TraceSource = { readonly trace: Trace } | Trace | readonly TraceEvent[];

function traceOf(source: TraceSource): Trace {
  if (Array.isArray(source)) return new Trace(undefined, source);
  // Duck-typed: a result or trace may come from another installed copy of faultline.
  const inner = (source as { trace?: Trace }).trace;
  return inner !== undefined && typeof inner === 'object' ? inner : (source as Trace);
}

export function eventsOf(source: TraceSource): readonly TraceEvent[] {
  return Array.isArray(source) ? source : traceOf(source).events;
}

type Counts = Record<string, number>;

function bump(counts: Counts, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function errorKind(error: unknown): string {
  if (typeof error === 'string') return error.split(':')[0] || 'Error';
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; name?: unknown };
    if (typeof e.code === 'string' && e.code !== '') return e.code;
    if (typeof e.name === 'string' && e.name !== '') return e.name;
  }
  return 'Error';
}

interface ServiceAcc {
  calls: number;
  outcomes: Counts;
  latencies: number[];
  errors: Counts;
  faults: Counts;
}
interface AgentAcc {
  runs: number;
  ok: number;
  failed: number;
  latencies: number[];
  errors: Counts;
  fallbacks: number;
}
interface WorkloadAcc {
  starts: Map<number, number>;
  requests: number;
  outcomes: Counts;
  latencies: number[];
  errors: Counts;
}
interface BreakerAcc {
  state: string;
  since: number;
  time: Counts;
  transitions: number;
  opened: number;
  admitted: number;
  rejected: number;
  failures: number;
}
interface RetryAcc {
  requests: number;
  attempts: number;
  succeeded: number;
  gaveUp: Counts;
}

function entry<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}

class Accumulator {
  readonly services = new Map<string, ServiceAcc>();
  readonly agents = new Map<string, AgentAcc>();
  readonly workloads = new Map<string, WorkloadAcc>();
  readonly breakers = new Map<string, BreakerAcc>();
  readonly retries = new Map<string, RetryAcc>();
  readonly rejections: Counts = {};
  readonly fallbacks: Counts = {};
  seed: unknown;
  name: string | undefined;
  outcome = 'unknown';
  end = 0;

  add(e: TraceEvent): void {
    const actor = e.actor ?? '';
    const d = (e.data ?? {}) as Record<string, any>;
    if (e.t > this.end) this.end = e.t;
    switch (e.kind) {
      case 'sim.start':
        this.seed = d.seed;
        this.name = d.name;
        return;
      case 'sim.end':
        this.outcome = String(d.outcome);
        return;
      case 'service.call':
        this.service(actor).calls++;
        return;
      case 'service.end': {
        const s = this.service(actor);
        bump(s.outcomes, String(d.outcome));
        if (typeof d.latency === 'number') s.latencies.push(d.latency);
        if (d.outcome !== 'ok') {
          bump(
            s.errors,
            d.status !== undefined
              ? String(d.status)
              : d.code !== undefined
                ? String(d.code)
                : String(d.outcome),
          );
        }
        return;
      }
      case 'fault.injected':
        bump(this.service(actor).faults, String(d.fault));
        return;
      case 'agent.start':
        this.agent(actor).runs++;
        return;
      case 'agent.end': {
        const a = this.agent(actor);
        if (d.ok) a.ok++;
        else {
          a.failed++;
          bump(a.errors, errorKind(d.error));
        }
        if (typeof d.durationMs === 'number') a.latencies.push(d.durationMs);
        return;
      }
      case 'agent.fallback':
        this.agent(actor).fallbacks++;
        bump(this.fallbacks, actor);
        return;
      case 'request.start': {
        const w = this.workload(actor);
        w.requests++;
        w.starts.set(Number(d.i), e.t);
        return;
      }
      case 'request.end': {
        const w = this.workload(actor);
        bump(w.outcomes, String(d.outcome));
        const started = w.starts.get(Number(d.i));
        if (started !== undefined) w.latencies.push(e.t - started);
        if (d.outcome !== 'success') bump(w.errors, errorKind(d.error));
        return;
      }
      case 'breaker.admitted':
        this.breaker(actor).admitted++;
        return;
      case 'breaker.failure':
        this.breaker(actor).failures++;
        return;
      case 'breaker.state': {
        const b = this.breaker(actor);
        bump(b.time, b.state, e.t - b.since);
        b.state = String(d.to);
        b.since = e.t;
        b.transitions++;
        if (d.to === 'open') b.opened++;
        return;
      }
      case 'retry.attempt': {
        const r = this.retry(actor);
        r.attempts++;
        if (d.attempt === 1) r.requests++;
        return;
      }
      case 'retry.success':
        this.retry(actor).succeeded++;
        return;
      case 'retry.gave-up':
        bump(this.retry(actor).gaveUp, String(d.reason));
        return;
    }
    if (e.kind.endsWith('.rejected')) {
      if (e.kind === 'breaker.rejected') this.breaker(actor).rejected++;
      bump(this.rejections, actor);
    } else if (e.kind.endsWith('.fallback') || e.kind.startsWith('fallback.')) {
      bump(this.fallbacks, actor);
    }
  }

  private service(name: string): ServiceAcc {
    return entry(this.services, name, () => ({
      calls: 0,
      outcomes: {},
      latencies: [],
      errors: {},
      faults: {},
    }));
  }
  private agent(name: string): AgentAcc {
    return entry(this.agents, name, () => ({
      runs: 0,
      ok: 0,
      failed: 0,
      latencies: [],
      errors: {},
      fallbacks: 0,
    }));
  }
  private workload(name: string): WorkloadAcc {
    return entry(this.workloads, name, () => ({
      starts: new Map(),
      requests: 0,
      outcomes: {},
      latencies: [],
      errors: {},
    }));
  }
  private breaker(name: string): BreakerAcc {
    return entry(this.breakers, name, () => ({
      state: 'closed',
      since: 0,
      time: {},
      transitions: 0,
      opened: 0,
      admitted: 0,
      rejected: 0,
      failures: 0,
    }));
  }
  private retry(name: string): RetryAcc {
    return entry(this.retries, name, () => ({ requests: 0, attempts: 0, succeeded: 0, gaveUp: {} }));
  }

  finish(events: readonly TraceEvent[], hash: string): RunSummary {
    const end = this.end;
    const minutes = end / 60_000;
    const perMinute = (n: number) => (minutes > 0 ? n / minutes : 0);
    const rate = (bad: number, all: number) => (all > 0 ? bad / all : 0);
    const requests = { started: 0, succeeded: 0, failed: 0, rejected: 0, pending: 0 };
    const workloads = [...this.workloads].map(([name, w]): WorkloadSummary => {
      const ended = w.latencies.length;
      requests.started += w.requests;
      requests.succeeded += w.outcomes.success ?? 0;
      requests.failed += w.outcomes.failure ?? 0;
      requests.rejected += w.outcomes.rejected ?? 0;
      return {
        name,
        requests: w.requests,
        outcomes: w.outcomes,
        latency: latencyStats(w.latencies),
        throughputPerMinute: perMinute(ended),
        errorRate: rate(ended - (w.outcomes.success ?? 0), ended),
        errorsByKind: w.errors,
      };
    });
    requests.pending = requests.started - requests.succeeded - requests.failed - requests.rejected;
    return {
      seed: this.seed,
      name: this.name,
      outcome: this.outcome,
      virtualTimeMs: end,
      events: events.length,
      hash,
      requests,
      services: [...this.services].map(([name, s]) => {
        const ended = s.latencies.length;
        return {
          name,
          calls: s.calls,
          outcomes: s.outcomes,
          latency: latencyStats(s.latencies),
          throughputPerMinute: perMinute(ended),
          errorRate: rate(ended - (s.outcomes.ok ?? 0), ended),
          errorsByKind: s.errors,
          faults: s.faults,
        };
      }),
      agents: [...this.agents].map(([name, a]) => ({
        name,
        runs: a.runs,
        outcomes: { ok: a.ok, failed: a.failed },
        latency: latencyStats(a.latencies),
        throughputPerMinute: perMinute(a.ok + a.failed),
        errorRate: rate(a.failed, a.ok + a.failed),
        errorsByKind: a.errors,
        fallbacks: a.fallbacks,
      })),
      workloads,
      breakers: [...this.breakers].map(([name, b]) => {
        const time = { ...b.time };
        bump(time, b.state, end - b.since);
        return {
          name,
          timeInState: time,
          transitions: b.transitions,
          opened: b.opened,
          admitted: b.admitted,
          rejected: b.rejected,
          failures: b.failures,
        };
      }),
      retries: [...this.retries].map(([name, r]) => ({
        name,
        requests: r.requests,
        attempts: r.attempts,
        retries: r.attempts - r.requests,
        amplification: r.requests > 0 ? r.attempts / r.requests : 0,
        succeeded: r.succeeded,
        gaveUp: r.gaveUp,
      })),
      rejections: this.rejections,
      fallbacks: this.fallbacks,
    };
  }
}

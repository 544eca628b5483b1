/*
 * A hand-written load balancer (round-robin or smooth weighted round-robin,
 * interval health checks, consecutive-failure ejection, failover: the way many
 * teams write one), instrumented: it emits faultline's load-balancer events as
 * it decides, so `invariants.loadBalancer()` judges it. Each mutant is one line
 * of difference.
 */
import type { LoadBalancerConfig } from '../../../src/properties/arbitraries/pattern-configs.js';
import { errorData } from '../../../src/resilience/options.js';
import type { TraceSink } from '../../../src/trace/event.js';

export type BalancerBug =
  | 'round-robin skips a backend'
  | 'weighted subtracts its own weight'
  | 'routes to ejected backends'
  | 'routes to unhealthy backends';

interface Named {
  readonly name: string;
}

export class HandBalancer<B extends Named> {
  private calls = 0;
  private cursor = 0;
  private readonly current: number[];
  private readonly weights: number[];
  private readonly healthy: boolean[];
  private readonly passes: number[];
  private readonly fails: number[];
  private readonly consecutive: number[];
  private readonly ejections: number[];
  private readonly ejected: boolean[];
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private readonly maxEjected: number;
  private healthTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly trace: TraceSink,
    private readonly name: string,
    private readonly backends: readonly B[],
    private readonly config: LoadBalancerConfig,
    check: (backend: B) => Promise<boolean>,
    private readonly now: () => number,
    private readonly bug?: BalancerBug,
  ) {
    const n = backends.length;
    const names = backends.map((b) => b.name);
    this.weights = names.map((b) => config.weights?.[b] ?? 1);
    this.current = names.map(() => 0);
    this.healthy = names.map(() => true);
    this.passes = names.map(() => 0);
    this.fails = names.map(() => 0);
    this.consecutive = names.map(() => 0);
    this.ejections = names.map(() => 0);
    this.ejected = names.map(() => false);
    const o = config.outlierEjection;
    const byPercent = o ? Math.floor((n * o.maxEjectionPercent) / 100 + 1e-9) : 0;
    this.maxEjected = o ? Math.min(n - 1, o.maxEjectionPercent > 0 ? Math.max(1, byPercent) : 0) : 0;
    trace.emit('load-balancer.declared', name, {
      strategy: config.strategy,
      backends: names,
      maxFailover: config.maxFailover,
      ...(config.strategy === 'weighted'
        ? { weights: Object.fromEntries(names.map((b, i) => [b, this.weights[i]!])) }
        : {}),
      ...(o
        ? {
            outlierEjection: {
              consecutiveFailures: o.consecutiveFailures,
              baseEjectionTimeMs: o.baseEjectionTime,
              maxEjectionTimeMs: Math.max(o.baseEjectionTime, 300_000),
              maxEjectionPercent: o.maxEjectionPercent,
              maxEjected: this.maxEjected,
            },
          }
        : {}),
    });
    const h = config.healthCheck;
    if (h) {
      this.healthTimer = setInterval(() => {
        backends.forEach((b, i) => {
          check(b).then((ok) => this.healthResult(i, ok));
        });
      }, h.interval);
    }
  }

  close(): void {
    clearInterval(this.healthTimer);
    for (const t of this.timers) clearTimeout(t);
  }

  async execute<T>(fn: (backend: B, signal?: AbortSignal) => Promise<T>): Promise<T> {
    const call = this.calls++;
    const tried: boolean[] = this.backends.map(() => false);
    for (let attempt = 0; ; attempt++) {
      const i = this.pick((k) => !tried[k] && this.eligible(k));
      if (i < 0) throw new Error(`${this.name}: no healthy backend`);
      const backend = this.backends[i]!;
      const before = this.backends.filter((_, k) => tried[k]).map((b) => b.name);
      this.trace.emit('load-balancer.picked', this.name, {
        call,
        backend: backend.name,
        attempt,
        ...(attempt > 0 ? { tried: before } : {}),
      });
      tried[i] = true;
      const started = this.now();
      try {
        const value = await fn(backend);
        this.consecutive[i] = 0;
        this.trace.emit('load-balancer.success', this.name, {
          call,
          backend: backend.name,
          latency: this.now() - started,
        });
        return value;
      } catch (error) {
        this.trace.emit('load-balancer.failure', this.name, {
          call,
          backend: backend.name,
          error: errorData(error),
          counted: true,
        });
        this.failed(i);
        if (attempt >= this.config.maxFailover) throw error;
      }
    }
  }

  private eligible(i: number): boolean {
    const healthy = this.bug === 'routes to unhealthy backends' || this.healthy[i];
    const ejected = this.bug !== 'routes to ejected backends' && this.ejected[i];
    return healthy && !ejected;
  }

  private pick(eligible: (i: number) => boolean): number {
    const n = this.backends.length;
    if (this.config.strategy === 'weighted') {
      let best = -1;
      let total = 0;
      for (let i = 0; i < n; i++) {
        if (!eligible(i)) continue;
        this.current[i]! += this.weights[i]!;
        total += this.weights[i]!;
        if (best < 0 || this.current[i]! > this.current[best]!) best = i;
      }
      if (best >= 0)
        this.current[best]! -= this.bug === 'weighted subtracts its own weight' ? this.weights[best]! : total;
      return best;
    }
    for (let k = 0; k < n; k++) {
      const i = (this.cursor + k) % n;
      if (!eligible(i)) continue;
      this.cursor = (i + (this.bug === 'round-robin skips a backend' ? 2 : 1)) % n;
      return i;
    }
    return -1;
  }

  private healthResult(i: number, ok: boolean): void {
    const h = this.config.healthCheck!;
    if (ok) {
      this.fails[i] = 0;
      this.passes[i]!++;
      if (!this.healthy[i] && this.passes[i]! >= h.healthyThreshold) this.setHealth(i, true);
    } else {
      this.passes[i] = 0;
      this.fails[i]!++;
      if (this.healthy[i] && this.fails[i]! >= h.unhealthyThreshold) this.setHealth(i, false);
    }
  }

  private setHealth(i: number, healthy: boolean): void {
    this.healthy[i] = healthy;
    this.trace.emit('load-balancer.health', this.name, { backend: this.backends[i]!.name, healthy });
  }

  private failed(i: number): void {
    const o = this.config.outlierEjection;
    if (!o || this.ejected[i]) return;
    this.consecutive[i]!++;
    if (this.consecutive[i]! < o.consecutiveFailures) return;
    const count = this.ejected.filter(Boolean).length;
    if (count >= this.maxEjected) return;
    const times = ++this.ejections[i]!;
    const duration = Math.min(o.baseEjectionTime * times, Math.max(o.baseEjectionTime, 300_000));
    this.ejected[i] = true;
    this.consecutive[i] = 0;
    const name = this.backends[i]!.name;
    this.trace.emit('load-balancer.ejected', this.name, {
      backend: name,
      times,
      duration,
      until: this.now() + duration,
      ejected: count + 1,
    });
    this.timers.push(
      setTimeout(() => {
        this.ejected[i] = false;
        this.trace.emit('load-balancer.returned', this.name, { backend: name });
      }, duration),
    );
  }
}

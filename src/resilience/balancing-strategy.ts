/*
 * How a load balancer chooses among eligible backends (the seed's
 * `load_balancing` names). Each strategy picks an index in `[0, n)` for which
 * `eligible(i)` holds, or −1; none allocates per pick.
 *
 * - `round_robin`: the first eligible backend at or after a cursor that starts
 *   at backend 0 and moves past each pick.
 * - `weighted`: smooth weighted round-robin as nginx does it: every eligible
 *   backend's current weight grows by its weight, the largest current weight
 *   wins (ties: the earliest) and loses the total.
 * - `least_connections`: fewest calls in flight; ties to the earliest.
 * - `random`: uniform over the eligible backends, from the seeded stream.
 * - `performance_based`: highest score = 0.7 × success-rate EMA (α 0.1, from
 *   1.0) + 0.3 × 1 / (1 + latency EMA in seconds); ties to the earliest.
 */
import type { Random } from '../random/random.js';
import type { LoadBalancingStrategy } from './agentflow-schema.js';

/** What the strategies read about each backend (owned by the load balancer). */
export interface BackendLoad {
  /** Calls in flight per backend. */
  readonly inFlight: readonly number[];
  /** Success-rate EMA per backend, in [0, 1]. */
  readonly successRate: readonly number[];
  /** Latency EMA per backend, in ms (0 before the first call). */
  readonly latencyMs: readonly number[];
}

export interface BalancingStrategy {
  pick(eligible: (i: number) => boolean): number;
}

/** The performance score of the seed's docs. */
export function performanceScore(successRate: number, latencyMs: number): number {
  return 0.7 * successRate + 0.3 * (1 / (1 + latencyMs / 1000));
}

class RoundRobin implements BalancingStrategy {
  private cursor = 0;
  constructor(private readonly n: number) {}
  pick(eligible: (i: number) => boolean): number {
    const n = this.n;
    for (let k = 0; k < n; k++) {
      const i = (this.cursor + k) % n;
      if (eligible(i)) {
        this.cursor = (i + 1) % n;
        return i;
      }
    }
    return -1;
  }
}

class Weighted implements BalancingStrategy {
  private readonly current: number[];
  constructor(private readonly weights: readonly number[]) {
    this.current = weights.map(() => 0);
  }
  pick(eligible: (i: number) => boolean): number {
    let best = -1;
    let total = 0;
    const { weights, current } = this;
    for (let i = 0; i < weights.length; i++) {
      if (!eligible(i)) continue;
      current[i]! += weights[i]!;
      total += weights[i]!;
      if (best < 0 || current[i]! > current[best]!) best = i;
    }
    if (best >= 0) current[best]! -= total;
    return best;
  }
}

class LeastConnections implements BalancingStrategy {
  constructor(private readonly load: BackendLoad) {}
  pick(eligible: (i: number) => boolean): number {
    const inFlight = this.load.inFlight;
    let best = -1;
    for (let i = 0; i < inFlight.length; i++) {
      if (eligible(i) && (best < 0 || inFlight[i]! < inFlight[best]!)) best = i;
    }
    return best;
  }
}

class RandomPick implements BalancingStrategy {
  constructor(
    private readonly n: number,
    private readonly random: Random,
  ) {}
  pick(eligible: (i: number) => boolean): number {
    let count = 0;
    for (let i = 0; i < this.n; i++) if (eligible(i)) count++;
    if (count === 0) return -1;
    let k = Math.floor(this.random.next() * count);
    for (let i = 0; i < this.n; i++) {
      if (eligible(i) && k-- === 0) return i;
    }
    return -1;
  }
}

class PerformanceBased implements BalancingStrategy {
  constructor(private readonly load: BackendLoad) {}
  pick(eligible: (i: number) => boolean): number {
    const { successRate, latencyMs } = this.load;
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < successRate.length; i++) {
      if (!eligible(i)) continue;
      const score = performanceScore(successRate[i]!, latencyMs[i]!);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  }
}

/** Builds the strategy `name` over `n` backends. */
export function createStrategy(
  name: LoadBalancingStrategy,
  weights: readonly number[],
  load: BackendLoad,
  random: Random,
): BalancingStrategy {
  switch (name) {
    case 'round_robin':
      return new RoundRobin(weights.length);
    case 'weighted':
      return new Weighted(weights);
    case 'least_connections':
      return new LeastConnections(load);
    case 'random':
      return new RandomPick(weights.length, random);
    case 'performance_based':
      return new PerformanceBased(load);
  }
}

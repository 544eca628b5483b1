/*
 * `invariants.loadBalancer()`: each load balancer's events (and its backends'
 * breakers' `breaker.state`) replayed in trace order against its declaration
 * (`load-balancer.declared`). Rules:
 *
 * - no call goes to a backend that is unhealthy (`load-balancer.health`),
 *   ejected (`load-balancer.ejected` … `returned`) or behind an open or isolated
 *   breaker, nor to one the same call already tried;
 * - never more backends ejected than the declared `maxEjected`, never all;
 * - `round_robin`: every pick is the first eligible backend after the previous
 *   pick, in declaration order (so shares are exact over every full cycle);
 * - `weighted`: every pick is the one smooth weighted round-robin (nginx) makes
 *   with the declared weights over the eligible backends (shares exact over
 *   every cycle of the weights' sum).
 */
import type { TraceEvent } from '../../trace/event.js';
import type { Invariant, Violation } from '../invariant.js';
import { violation } from '../invariant.js';
import { num, str } from './trace-groups.js';

const NAME = 'loadBalancer';

/**
 * Load balancer rules for every load balancer in the trace.
 *
 * @example
 * ```ts
 * expect(invariants.loadBalancer().check(result.trace)).toEqual([]);
 * ```
 */
export function loadBalancer(): Invariant {
  return {
    name: NAME,
    check(trace) {
      const models = new Map<string, Model>();
      /** breaker actor → [model, backend index] */
      const breakerOf = new Map<string, [Model, number]>();
      const failed = new Set<Model>();
      const out: Violation[] = [];
      for (const e of trace.events) {
        if (e.kind === 'load-balancer.declared') {
          const m = new Model(e);
          models.set(e.actor ?? '', m);
          m.breakers.forEach((actor, i) => {
            if (actor !== undefined) breakerOf.set(actor, [m, i]);
          });
          continue;
        }
        if (e.kind === 'breaker.state') {
          const owner = breakerOf.get(e.actor ?? '');
          if (owner) owner[0].open[owner[1]] = e.data?.to === 'open' || e.data?.to === 'isolated';
          continue;
        }
        if (!e.kind.startsWith('load-balancer.')) continue;
        const m = models.get(e.actor ?? '');
        if (m === undefined || failed.has(m)) continue;
        const v = m.step(e);
        if (v) {
          failed.add(m);
          out.push(v);
        }
      }
      return out;
    },
  };
}

class Model {
  readonly name: string;
  readonly strategy: string;
  readonly names: string[];
  readonly weights: number[];
  readonly maxEjected: number;
  readonly breakers: (string | undefined)[];
  readonly unhealthy: boolean[];
  readonly ejected: boolean[];
  readonly open: boolean[];
  private readonly current: number[];
  private cursor = 0;

  constructor(e: TraceEvent) {
    const d = e.data ?? {};
    this.name = e.actor ?? 'load-balancer';
    this.strategy = str(e, 'strategy') ?? 'round_robin';
    this.names = Array.isArray(d.backends) ? d.backends.map(String) : [];
    const n = this.names.length;
    const weights = (d.weights ?? {}) as Record<string, unknown>;
    this.weights = this.names.map((b) => (typeof weights[b] === 'number' ? (weights[b] as number) : 1));
    const ejection = d.outlierEjection as Record<string, unknown> | undefined;
    this.maxEjected = typeof ejection?.maxEjected === 'number' ? ejection.maxEjected : n - 1;
    const breakers = (d.breakers ?? {}) as Record<string, unknown>;
    this.breakers = this.names.map((b) =>
      typeof breakers[b] === 'string' ? (breakers[b] as string) : undefined,
    );
    this.unhealthy = this.names.map(() => false);
    this.ejected = this.names.map(() => false);
    this.open = this.names.map(() => false);
    this.current = this.names.map(() => 0);
  }

  step(e: TraceEvent): Violation | undefined {
    const backend = str(e, 'backend');
    const i = backend === undefined ? -1 : this.names.indexOf(backend);
    switch (e.kind) {
      case 'load-balancer.health':
        if (i >= 0) this.unhealthy[i] = e.data?.healthy === false;
        return undefined;
      case 'load-balancer.ejected': {
        if (i >= 0) this.ejected[i] = true;
        const count = this.ejected.filter(Boolean).length;
        if (count >= this.names.length) {
          return violation(NAME, `"${this.name}" ejected every backend`, e, `< ${this.names.length}`, count);
        }
        if (count > this.maxEjected) {
          return violation(
            NAME,
            `"${this.name}" has ${count} backends ejected; at most ${this.maxEjected} may be`,
            e,
            `<= ${this.maxEjected}`,
            count,
          );
        }
        return undefined;
      }
      case 'load-balancer.returned':
        if (i >= 0) this.ejected[i] = false;
        return undefined;
      case 'load-balancer.picked':
        return this.picked(e, i);
      default:
        return undefined;
    }
  }

  private picked(e: TraceEvent, i: number): Violation | undefined {
    const tried = new Set(Array.isArray(e.data?.tried) ? e.data.tried.map(String) : []);
    const call = num(e, 'call');
    if (i < 0) return violation(NAME, `"${this.name}" routed call ${call} to an undeclared backend`, e);
    const why = this.unavailable(i, tried);
    if (why !== undefined) {
      return violation(NAME, `"${this.name}" routed call ${call} to ${this.names[i]}, which was ${why}`, e);
    }
    const eligible = (k: number) => this.unavailable(k, tried) === undefined;
    let expected = -1;
    if (this.strategy === 'round_robin') {
      const n = this.names.length;
      for (let k = 0; k < n; k++) {
        const c = (this.cursor + k) % n;
        if (eligible(c)) {
          expected = c;
          break;
        }
      }
      this.cursor = (i + 1) % n;
    } else if (this.strategy === 'weighted') {
      let total = 0;
      for (let k = 0; k < this.names.length; k++) {
        if (!eligible(k)) continue;
        this.current[k]! += this.weights[k]!;
        total += this.weights[k]!;
        if (expected < 0 || this.current[k]! > this.current[expected]!) expected = k;
      }
      if (expected >= 0) this.current[expected]! -= total;
    } else {
      return undefined;
    }
    if (expected !== i) {
      const should = expected < 0 ? 'no backend' : this.names[expected];
      return violation(
        NAME,
        `"${this.name}" (${this.strategy}) sent call ${call} to ${this.names[i]}; the rotation's next eligible backend was ${should}`,
        e,
        should,
        this.names[i],
      );
    }
    return undefined;
  }

  private unavailable(k: number, tried: ReadonlySet<string>): string | undefined {
    if (this.unhealthy[k]) return 'unhealthy';
    if (this.ejected[k]) return 'ejected';
    if (this.open[k]) return 'behind an open breaker';
    if (tried.has(this.names[k]!)) return 'already tried by this call';
    return undefined;
  }
}

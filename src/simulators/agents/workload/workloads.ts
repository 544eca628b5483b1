import { ConfigError } from '../../../errors/config-error.js';
import { checkOptions } from '../../../options/validate.js';
import type { Distribution } from '../../../random/distribution.js';
import type { Random } from '../../../random/random.js';
import type { Clock } from '../../../time/clock.js';
import { type Duration, duration } from '../../../time/duration.js';
import { type Rate, ratePerMs } from '../../../time/rate.js';
import type { RequestCounts, RequestLedger, RequestOutcome } from './request-ledger.js';

/*
 * Load shapes: open-loop Poisson arrivals, a closed loop of users with think
 * time, bursts and linear ramps. Arrival times come from the run's seeded
 * stream for the workload; each resolves once all of its requests have ended.
 */

export type RequestFn = (i: number) => unknown;

export interface WorkloadDeps {
  clock: Clock;
  random: (name: string) => Random;
  ledger: RequestLedger;
}

export interface WorkloadResult extends RequestCounts {
  /** Name used as the actor of this workload's trace events. */
  readonly name: string;
}

function sampleTime(random: Random, think: Distribution | Duration): number {
  return typeof think === 'object' ? Math.max(0, random.sample(think)) : duration(think, 'thinkTime');
}

class Tally {
  readonly counts: RequestCounts = { started: 0, succeeded: 0, failed: 0, rejected: 0 };
  readonly inflight: Promise<unknown>[] = [];

  track(p: Promise<RequestOutcome>): Promise<RequestOutcome> {
    this.counts.started++;
    const done = p.then((outcome) => {
      if (outcome === 'success') this.counts.succeeded++;
      else if (outcome === 'rejected') this.counts.rejected++;
      else this.counts.failed++;
      return outcome;
    });
    this.inflight.push(done);
    return done;
  }

  async result(name: string): Promise<WorkloadResult> {
    await Promise.all(this.inflight);
    return { name, ...this.counts };
  }
}

export function createWorkloads(deps: WorkloadDeps) {
  let n = 0;
  const nextName = (kind: string) => `workload:${kind}#${++n}`;
  const check = (option: string, fn: unknown) => {
    if (typeof fn !== 'function') throw new ConfigError(option, fn, 'a function (i) => Promise');
  };

  return {
    /**
     * Open-loop arrivals: a Poisson process at `rate` for `for`.
     *
     * @example
     * ```ts
     * await sim.workload.poisson({ rate: '2/s', for: '30m' }, (i) => researcher.run(`topic ${i}`));
     * ```
     */
    async poisson(options: { rate: Rate; for: Duration }, fn: RequestFn): Promise<WorkloadResult> {
      checkOptions('workload.poisson', options, ['rate', 'for'], true);
      const perMs = ratePerMs(options?.rate, 'workload.poisson({ rate })');
      const span = duration(options?.for, 'workload.poisson({ for })');
      check('workload.poisson(options, fn)', fn);
      const name = nextName('poisson');
      const random = deps.random(name);
      const tally = new Tally();
      const end = deps.clock.now() + span;
      for (let i = 0; ; i++) {
        const gap = -Math.log(1 - random.next()) / perMs;
        if (deps.clock.now() + gap >= end) {
          await deps.clock.sleep(end - deps.clock.now());
          break;
        }
        await deps.clock.sleep(gap);
        tally.track(deps.ledger.run(name, i, () => fn(i)));
      }
      return tally.result(name);
    },

    /** A closed loop: `users` each send a request, wait for it, think, repeat, for `for`. */
    async closed(
      options: { users: number; thinkTime: Distribution | Duration; for: Duration },
      fn: RequestFn,
    ): Promise<WorkloadResult> {
      checkOptions('workload.closed', options, ['users', 'thinkTime', 'for'], true);
      const users = options?.users;
      if (!Number.isInteger(users) || users < 1)
        throw new ConfigError('workload.closed({ users })', users, 'an integer >= 1');
      const span = duration(options.for, 'workload.closed({ for })');
      if (typeof options.thinkTime !== 'object')
        duration(options.thinkTime, 'workload.closed({ thinkTime })');
      check('workload.closed(options, fn)', fn);
      const name = nextName('closed');
      const random = deps.random(name);
      const tally = new Tally();
      const end = deps.clock.now() + span;
      let i = 0;
      await Promise.all(
        Array.from({ length: users }, async () => {
          while (deps.clock.now() < end) {
            const k = i++;
            await tally.track(deps.ledger.run(name, k, () => fn(k)));
            const think = sampleTime(random, options.thinkTime);
            if (deps.clock.now() + think >= end) break;
            await deps.clock.sleep(think);
          }
        }),
      );
      return tally.result(name);
    },

    /** `count` requests at once (or `spacing` apart), after `after` (default now). */
    async burst(
      options: { count: number; after?: Duration; spacing?: Duration },
      fn: RequestFn,
    ): Promise<WorkloadResult> {
      checkOptions('workload.burst', options, ['count', 'after', 'spacing'], true);
      const count = options?.count;
      if (!Number.isInteger(count) || count < 1)
        throw new ConfigError('workload.burst({ count })', count, 'an integer >= 1');
      const after = duration(options.after ?? 0, 'workload.burst({ after })');
      const spacing = duration(options.spacing ?? 0, 'workload.burst({ spacing })');
      check('workload.burst(options, fn)', fn);
      const name = nextName('burst');
      const tally = new Tally();
      if (after > 0) await deps.clock.sleep(after);
      for (let i = 0; i < count; i++) {
        if (i > 0 && spacing > 0) await deps.clock.sleep(spacing);
        tally.track(deps.ledger.run(name, i, () => fn(i)));
      }
      return tally.result(name);
    },

    /** Poisson arrivals whose rate moves linearly from `from` to `to` over `over`. */
    async ramp(options: { from: Rate; to: Rate; over: Duration }, fn: RequestFn): Promise<WorkloadResult> {
      checkOptions('workload.ramp', options, ['from', 'to', 'over'], true);
      const from = ratePerMs(options?.from, 'workload.ramp({ from })');
      const to = ratePerMs(options?.to, 'workload.ramp({ to })');
      const span = duration(options.over, 'workload.ramp({ over })');
      check('workload.ramp(options, fn)', fn);
      const name = nextName('ramp');
      const random = deps.random(name);
      const tally = new Tally();
      const start = deps.clock.now();
      const max = Math.max(from, to);
      // Thinning (Lewis–Shedler): candidates at the peak rate, kept with probability rate(t)/peak.
      for (let i = 0; ; ) {
        const gap = -Math.log(1 - random.next()) / max;
        const t = deps.clock.now() + gap - start;
        if (t >= span) {
          await deps.clock.sleep(start + span - deps.clock.now());
          break;
        }
        await deps.clock.sleep(gap);
        const rate = from + ((to - from) * t) / span;
        if (random.next() < rate / max) {
          const k = i++;
          tally.track(deps.ledger.run(name, k, () => fn(k)));
        }
      }
      return tally.result(name);
    },
  };
}

export type Workloads = ReturnType<typeof createWorkloads>;

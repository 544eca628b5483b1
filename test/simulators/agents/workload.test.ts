import { describe, expect, it } from 'vitest';
import { BrokenCircuitError, ConfigError, dist, type Sim, simulate } from '../../../src/index.js';

describe('workloads', () => {
  it('poisson arrivals match the rate and every request ends exactly once', async () => {
    const result = await simulate({ seed: 3 }, async (sim) => {
      return sim.workload.poisson({ rate: '2/s', for: '30m' }, async (i) => {
        await sim.sleep(sim.random.sample(dist.exponential('500ms')));
        if (i % 10 === 0) throw new Error('boom');
      });
    });
    const w = result.value!;
    expect(w.started).toBeGreaterThan(3400);
    expect(w.started).toBeLessThan(3800);
    expect(w.succeeded + w.failed + w.rejected).toBe(w.started);
    expect(result.stats.requests).toMatchObject({
      started: w.started,
      succeeded: w.succeeded,
      failed: w.failed,
      pending: 0,
    });
    const starts = result.trace.ofKind('request.start');
    const ends = result.trace.ofKind('request.end');
    expect(starts).toHaveLength(w.started);
    expect(ends).toHaveLength(w.started);
    expect(new Set(ends.map((e) => e.data?.i)).size).toBe(w.started);
    expect(result.stats.virtualTimeMs).toBeGreaterThanOrEqual(30 * 60_000);
  });

  it('counts refusals by breakers, bulkheads and rate limiters as rejected', async () => {
    const result = await simulate({ seed: 1 }, (sim) =>
      sim.workload.burst({ count: 4 }, (i) => {
        if (i < 2) throw new BrokenCircuitError('llm', 'open');
        return i;
      }),
    );
    expect(result.value).toMatchObject({ started: 4, succeeded: 2, rejected: 2, failed: 0 });
  });

  it('closed loop: users wait for their request and think between requests', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const w = await sim.workload.closed({ users: 3, thinkTime: '1s', for: '10s' }, () => sim.sleep(1000));
      return { w, now: sim.now() };
    });
    // Each user: request (1 s) + think (1 s) → 5 requests in 10 s.
    expect(result.value!.w).toMatchObject({ started: 15, succeeded: 15 });
  });

  it('burst with spacing and ramp rising over time', async () => {
    const result = await simulate({ seed: 9 }, async (sim) => {
      const times: number[] = [];
      await sim.workload.burst({ count: 3, after: '1s', spacing: '250ms' }, () => times.push(sim.now()));
      const arrivals: number[] = [];
      await sim.workload.ramp({ from: '1/s', to: '20/s', over: '60s' }, () =>
        arrivals.push(sim.now() - 1500),
      );
      return { times, arrivals };
    });
    expect(result.value!.times).toEqual([1000, 1250, 1500]);
    const { arrivals } = result.value!;
    const firstHalf = arrivals.filter((t) => t < 30_000).length;
    const secondHalf = arrivals.length - firstHalf;
    expect(secondHalf).toBeGreaterThan(firstHalf * 1.5);
    expect(arrivals.length).toBeGreaterThan(450);
    expect(arrivals.length).toBeLessThan(800);
  });

  it('is deterministic per seed', async () => {
    const scenario = (sim: Sim) =>
      sim.workload.poisson({ rate: '5/s', for: '1m' }, () => sim.sleep(sim.random.int(1, 500)));
    const a = await simulate({ seed: 5 }, scenario);
    const b = await simulate({ seed: 5 }, scenario);
    const c = await simulate({ seed: 6 }, scenario);
    expect(a.trace.hash).toBe(b.trace.hash);
    expect(a.trace.hash).not.toBe(c.trace.hash);
  });

  it('rejects bad workload options', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      await expect(sim.workload.poisson({ rate: 'fast', for: '1m' }, () => 0)).rejects.toThrow(
        /rate.*"fast"/,
      );
      await expect(sim.workload.closed({ users: 0, thinkTime: 0, for: '1m' }, () => 0)).rejects.toThrow(
        ConfigError,
      );
      await expect(sim.workload.burst({ count: 2 }, 'nope' as never)).rejects.toThrow(/function/);
    });
    expect(result.error).toBeUndefined();
  });
});

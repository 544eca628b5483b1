import { ConsecutiveBreaker, circuitBreaker, ExponentialBackoff, handleAll, retry, wrap } from 'cockatiel';
import CircuitBreaker from 'opossum';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/index.js';

/*
 * Real resilience libraries read Date.now / setTimeout / Math.random directly;
 * inside simulate they must run on virtual time and reproduce exactly.
 */

async function cockatielScenario() {
  return simulate({ seed: 21 }, async (sim) => {
    const log: string[] = [];
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(3) });
    breaker.onStateChange((state) => log.push(`${sim.now()} breaker:${state}`));
    const backoff = retry(handleAll, {
      maxAttempts: 4,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5000 }),
    });
    backoff.onRetry((e) => log.push(`${sim.now()} retry:${'delay' in e ? e.delay : '?'}`));
    const policy = wrap(backoff, breaker);
    let calls = 0;
    const flaky = async () => {
      calls++;
      log.push(`${sim.now()} call:${calls}`);
      if (calls <= 5) throw new Error(`fail ${calls}`);
      return 'ok';
    };
    const first = await policy.execute(flaky).catch((e: Error) => e.message);
    await sim.sleep(10_000);
    const second = await policy.execute(flaky).catch((e: Error) => e.message);
    return { first, second, calls, log };
  });
}

describe('third-party resilience libraries on virtual time', () => {
  it('cockatiel retry with exponential backoff and a breaker run on virtual time and reproduce exactly', async () => {
    const a = await cockatielScenario();
    const b = await cockatielScenario();
    expect(a.value).toEqual(b.value);
    expect(a.trace.hash).toBe(b.trace.hash);
    const { log, calls, first, second } = a.value!;
    const entries = log.map((l) => {
      const [time, what] = l.split(' ');
      const [kind, arg] = what!.split(':');
      return { time: Number(time), kind: kind!, arg: Number(arg) };
    });
    // Each retry waits exactly the (seeded, jittered) delay cockatiel chose, in virtual time.
    const [c1, r1, c2, r2, c3] = entries;
    expect([c1!.kind, r1!.kind, c2!.kind, r2!.kind, c3!.kind]).toEqual([
      'call',
      'retry',
      'call',
      'retry',
      'call',
    ]);
    expect(c2!.time).toBe(c1!.time + r1!.arg);
    expect(c3!.time).toBe(c2!.time + r2!.arg);
    // The third consecutive failure opens the breaker (CircuitState.Open = 1); later retries are refused.
    expect(entries[5]).toMatchObject({ kind: 'breaker', arg: 1, time: c3!.time });
    expect(first).toBe('Execution prevented because the circuit breaker is open');
    // After halfOpenAfter, the next call is a half-open probe (state 2); it fails and reopens.
    const probe = entries.find((e) => e.kind === 'call' && e.arg === 4)!;
    expect(probe.time).toBeGreaterThanOrEqual(c3!.time + 10_000);
    expect(entries.filter((e) => e.kind === 'breaker').map((e) => e.arg)).toEqual([1, 2, 1]);
    expect(second).toBe('Execution prevented because the circuit breaker is open');
    expect(calls).toBe(4);
    const different = await simulate({ seed: 22 }, async () => 0);
    expect(different.trace.hash).not.toBe(a.trace.hash);
  });

  it('opossum goes open → half-open at exactly resetTimeout → closed', async () => {
    const result = await simulate({ seed: 4 }, async (sim) => {
      let healthy = false;
      const events: string[] = [];
      const breaker = new CircuitBreaker(
        async () => {
          if (!healthy) throw new Error('down');
          return 'up';
        },
        { resetTimeout: 30_000, errorThresholdPercentage: 50, volumeThreshold: 1, timeout: false },
      );
      breaker.on('open', () => events.push(`open@${sim.now()}`));
      breaker.on('halfOpen', () => events.push(`halfOpen@${sim.now()}`));
      breaker.on('close', () => events.push(`close@${sim.now()}`));
      await sim.sleep(1000);
      await breaker.fire().catch(() => {});
      const openedAt = sim.now();
      await sim.sleep(29_999);
      const stillOpen = breaker.opened;
      await sim.sleep(1);
      const halfOpenAtReset = breaker.halfOpen;
      healthy = true;
      const value = await breaker.fire();
      const closed = breaker.closed;
      breaker.shutdown();
      return { events, openedAt, stillOpen, halfOpenAtReset, value, closed };
    });
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual({
      events: ['open@1000', 'halfOpen@31000', 'close@31000'],
      openedAt: 1000,
      stillOpen: true,
      halfOpenAtReset: true,
      value: 'up',
      closed: true,
    });
  });
});

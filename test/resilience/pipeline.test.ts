import { describe, expect, it } from 'vitest';
import { BrokenCircuitError } from '../../src/errors/broken-circuit-error.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { TimeoutError } from '../../src/errors/timeout-error.js';
import { bulkhead } from '../../src/resilience/bulkhead.js';
import { circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { loadBalancer } from '../../src/resilience/load-balancer.js';
import { pipeline } from '../../src/resilience/pipeline.js';
import { retry } from '../../src/resilience/retry.js';
import { timeout } from '../../src/resilience/timeout.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { capture, traceOn } from './helpers.js';

describe('pipeline', () => {
  it('applies policies outermost first: retry(breaker(timeout(fn)))', async () => {
    const clock = new ManualClock();
    const trace = traceOn(clock);
    const policy = pipeline(
      retry({ maxRetries: 2, baseDelay: 10, jitter: 'none', clock, trace }),
      circuitBreaker({ failureThreshold: 10, clock, trace }),
      timeout(50, { clock, trace }),
    );
    const attempts: number[] = [];
    const result = capture(
      policy.execute(async (signal, { attempt }) => {
        attempts.push(attempt!);
        if (attempt! < 3) await clock.sleep(1000, signal); // times out
        return 'ok';
      }),
    );
    await clock.advance(200);
    expect(result.value).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    // each timeout counted by the breaker, each breaker failure seen by retry
    expect(trace.events.map((e) => e.kind).filter((k) => k !== 'retry.attempt')).toEqual([
      'retry.declared',
      'breaker.declared',
      'timeout.declared',
      'breaker.admitted',
      'timeout.started',
      'timeout.timed-out',
      'timeout.end',
      'breaker.failure',
      'retry.failed',
      'retry.scheduled',
      'breaker.admitted',
      'timeout.started',
      'timeout.timed-out',
      'timeout.end',
      'breaker.failure',
      'retry.failed',
      'retry.scheduled',
      'breaker.admitted',
      'timeout.started',
      'timeout.end',
      'breaker.success',
      'retry.success',
    ]);
  });

  it('retry outside an open breaker gives up at once on BrokenCircuitError (unless told to retry it)', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ failureThreshold: 1, clock });
    breaker.isolate();
    let calls = 0;
    const strict = pipeline(retry({ maxRetries: 3, clock }), breaker);
    await expect(strict.execute(() => calls++)).rejects.toBeInstanceOf(BrokenCircuitError);
    const lenient = pipeline(
      retry({ maxRetries: 1, baseDelay: 5, jitter: 'none', retryBrokenCircuit: true, clock }),
      breaker,
    );
    const r = capture(lenient.execute(() => calls++));
    await clock.advance(5);
    expect(r.error).toMatchObject({ name: 'RetryExhaustedError', attempts: 2 });
    expect(calls).toBe(0);
  });

  it('passes the load balancer backend in the context, and composes nested pipelines and plain policies', async () => {
    const lb = loadBalancer({ backends: [{ name: 'a' }, { name: 'b' }] });
    const inner = pipeline(bulkhead({ maxConcurrent: 1 }), lb);
    const outer = pipeline(retry({ maxRetries: 0 }), inner);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++)
      await outer.execute((_s, ctx) => seen.push(`${ctx.attempt}${ctx.backend!.name}`));
    expect(seen).toEqual(['1a', '1b', '1a']);
    await expect(pipeline().execute(() => 5)).resolves.toBe(5);
  });

  it('timeout outside retry bounds the whole sequence', async () => {
    const clock = new ManualClock();
    const policy = pipeline(
      timeout(100, { clock }),
      retry({ maxRetries: 5, baseDelay: 40, jitter: 'none', backoffFactor: 1, clock }),
    );
    const result = capture(policy.execute(() => Promise.reject(new Error('x'))));
    await clock.advance(100);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it('rejects things that are not policies', () => {
    expect(() => pipeline({} as never)).toThrow(ConfigError);
    expect(() => pipeline(retry(), 'x' as never)).toThrow(/pipeline\(policies\[1\]\)/);
  });
});

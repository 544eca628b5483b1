import { describe, expect, expectTypeOf, it } from 'vitest';
import { circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { isEvent, type TraceEvent } from '../../src/trace/event.js';
import type { TracedBreakerState } from '../../src/trace/event-map.js';
import { Trace } from '../../src/trace/trace.js';

// A module adding its own kinds declares them by declaration merging, like this.
declare module '../../src/trace/event-map.js' {
  interface TraceEventMap {
    'test.widget': { readonly size: number };
  }
}

describe('typed trace', () => {
  it('types ofKind by exact kind and by prefix, from what a breaker really emits', async () => {
    const clock = new ManualClock();
    const trace = new Trace(() => clock.now());
    const breaker = circuitBreaker({ failureThreshold: 1, clock, trace, name: 'db' });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => {});

    const states = trace.ofKind('breaker.state');
    expectTypeOf(states[0]!.data.to).toEqualTypeOf<TracedBreakerState>();
    expect(states.map((e) => [e.data.from, e.data.to, e.data.reason])).toEqual([
      ['closed', 'open', 'failure-threshold'],
    ]);

    const all = trace.ofKind('breaker');
    const failures = all.flatMap((e) => (e.kind === 'breaker.failure' ? [e.data.consecutiveFailures] : []));
    expect(failures).toEqual([1]);

    // A kind nobody declared reads as a plain event.
    expectTypeOf(trace.ofKind('nobody.knows')).toEqualTypeOf<TraceEvent[]>();
  });

  it('rejects wrong data for a known kind at compile time, and accepts merged kinds', () => {
    const trace = new Trace();
    // @ts-expect-error `to` must be a breaker state
    trace.emit('breaker.state', 'x', { from: 'closed', to: 'ajar', reason: 'r' });
    // @ts-expect-error unknown kinds go through `record`, not `emit`
    trace.emit('not.declared', 'x', {});
    trace.emit('test.widget', 'w', { size: 3 });
    trace.record('user.thing', 'u', { anything: true });

    const [, , widget, user] = trace.events;
    expect(isEvent(widget!, 'test.widget') && widget.data.size).toBe(3);
    expect(isEvent(user!, 'test.widget')).toBe(false);
    expect(trace.ofKind('test.widget').map((e) => e.data.size)).toEqual([3]);
  });
});

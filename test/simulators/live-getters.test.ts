import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/index.js';
import { addGetters } from '../../src/simulators/live-getters.js';

/*
 * The live properties of per-run objects (see src/simulators/live-getters.ts) look and
 * behave as the object-literal getters they replace: own, enumerable, in the same key
 * order, plain objects, read live, copied by a spread.
 */
describe('live getters', () => {
  it('addGetters: own enumerable getters after the existing keys, read live, through a derived object too', () => {
    let n = 1;
    const target = addGetters({ name: 'x' }, { count: () => n, double: () => n * 2 }, 'counter');
    expect(Object.keys(target)).toEqual(['name', 'count', 'double']);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    const descriptor = Object.getOwnPropertyDescriptor(target, 'count')!;
    expect([typeof descriptor.get, descriptor.enumerable, descriptor.configurable]).toEqual([
      'function',
      true,
      true,
    ]);
    n = 5;
    expect({ ...target }).toEqual({ name: 'x', count: 5, double: 10 });
    expect(() => descriptor.get!.call({})).toThrow(TypeError);
  });

  it('a getter called on anything but its own object throws a TypeError naming the property and its owner', () => {
    const service = addGetters({}, { calls: () => 3 }, 'service');
    const bridge = addGetters({}, { inFlight: () => 0 }, 'HTTP bridge');
    const calls = Object.getOwnPropertyDescriptor(service, 'calls')!.get!;
    expect(calls.call(service)).toBe(3);
    const error = (receiver: unknown) => {
      try {
        calls.call(receiver);
      } catch (e) {
        return e;
      }
      return 'no error';
    };
    for (const receiver of [{}, bridge, Object.create(service), () => 0, undefined, null, 7]) {
      expect(error(receiver)).toBeInstanceOf(TypeError);
    }
    expect((error({}) as Error).message).toBe(
      "the getter of 'calls' belongs to a faultline service; it was called on an object that is not one (read it as `calls` of the service itself)",
    );
    // an object with live getters of its own, but not this one
    expect((error(bridge) as Error).message).toContain('called on an object that is not one');
    expect((error(undefined) as Error).message).toContain('called on undefined that is not one');
    expect((error(null) as Error).message).toContain('called on null that is not one');
    // the same key on two kinds of object: each getter names its own owner
    const llm = addGetters({}, { calls: () => 4 }, 'LLM service');
    const llmCalls = Object.getOwnPropertyDescriptor(llm, 'calls')!.get!;
    expect(() => llmCalls.call({})).toThrow('belongs to a faultline LLM service');
    expect([service, llm].map((o) => (o as { calls: number }).calls)).toEqual([3, 4]);
  });

  it("service, LLM service, bridge and an agent's timeout context keep their keys, order and live values", async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const svc = sim.service('svc', { handle: (q: string) => q });
      const llm = sim.llm('llm', { provider: 'openai' });
      const before = svc.calls;
      await svc.call('a');
      let spread: Record<string, unknown> = {};
      const agent = sim.agent(
        'a',
        (_: string, context) => {
          spread = { ...context };
          return 'ok';
        },
        { timeout: '1s' },
      );
      await agent.run('x');
      return {
        service: Object.keys(svc),
        calls: [before, svc.calls],
        llm: Object.keys(llm),
        llmCalls: llm.calls,
        bridge: Object.keys(sim.bridge),
        inFlight: sim.bridge.inFlight,
        context: Object.keys(spread),
        signal: spread.signal instanceof AbortSignal,
        plain: [svc, llm, sim.bridge].map((o) => Object.getPrototypeOf(o) === Object.prototype),
      };
    });
    expect(result.value).toEqual({
      service: ['name', 'faults', 'calls', 'call', 'respond'],
      calls: [0, 1],
      llm: ['name', 'provider', 'faults', 'calls', 'call', 'respond'],
      llmCalls: 0,
      bridge: ['route', 'fetch', 'routes', 'inFlight', 'unmatched'],
      inFlight: 0,
      context: ['signal', 'run', 'agent'],
      signal: true,
      plain: [true, true, true],
    });
  });
});

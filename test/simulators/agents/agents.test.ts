import { describe, expect, it } from 'vitest';
import { AgentState, ConfigError, simulate } from '../../../src/index.js';

describe('agents and orchestration', () => {
  it('traces agent runs and enforces the timeout on virtual time', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const slow = sim.agent(
        'slow',
        async (_: string, { signal }) => {
          await sim.sleep('10s', signal);
          return 'late';
        },
        { timeout: '2s' },
      );
      const error = await slow.run('x').catch((e: Error) => e);
      return { name: (error as Error).name, now: sim.now() };
    });
    expect(result.value).toEqual({ name: 'TimeoutError', now: 2000 });
    expect(
      result.trace.ofKind('agent').map((e) => [e.kind, e.t, e.kind === 'agent.end' ? e.data.ok : undefined]),
    ).toEqual([
      ['agent.start', 0, undefined],
      ['agent.end', 2000, false],
    ]);
  });

  it("with a timeout, the handler's signal aborts at the timeout, read before or after it expires", async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const seen: unknown[] = [];
      const early = sim.agent(
        'early',
        async (_: string, context) => {
          const { signal } = context;
          seen.push(signal === context.signal, signal.aborted);
          signal.addEventListener('abort', () =>
            seen.push(`abort at ${sim.now()}`, (signal.reason as Error).name),
          );
          await sim.sleep('10s');
          return 'late';
        },
        { timeout: '2s' },
      );
      const late = sim.agent(
        'late',
        async (_: string, context) => {
          await sim.sleep('10s');
          const { signal } = context;
          seen.push(signal.aborted, (signal.reason as Error).name, signal === context.signal);
          return 'late';
        },
        { timeout: '2s' },
      );
      const errors = await Promise.all(
        [early.run('x'), late.run('y')].map((p) => p.catch((e: Error) => e.name)),
      );
      await sim.sleep('20s');
      return { errors, seen };
    });
    expect(result.value).toEqual({
      errors: ['TimeoutError', 'TimeoutError'],
      seen: [true, false, 'abort at 2000', 'TimeoutError', true, 'TimeoutError', true],
    });
  });

  it('uses a fallback when the handler fails, visibly', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const search = sim.agent(
        'web_search',
        () => {
          throw new Error('503');
        },
        { fallback: () => 'cached answer' },
      );
      return search.run('q');
    });
    expect(result.value).toBe('cached answer');
    expect(result.trace.ofKind('agent.fallback')).toHaveLength(1);
  });

  it('sequential passes outputs along and stops at the first error', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const calls: string[] = [];
      const step = (name: string, fail = false) =>
        sim.agent(name, async (s: AgentState) => {
          calls.push(name);
          await sim.sleep(100);
          if (fail) throw new Error(`${name} failed`);
          return s.clone().set(name, true);
        });
      const ok = await sim.sequential([step('a'), step('b')], new AgentState());
      const bad = await sim.sequential([step('c'), step('d', true), step('e')], new AgentState());
      return { ok, bad, calls };
    });
    const { ok, bad, calls } = result.value!;
    expect(ok.status).toBe('success');
    expect((ok.output as AgentState).data).toEqual({ a: true, b: true });
    expect(bad.status).toBe('failure');
    expect((bad.error as Error).message).toBe('d failed');
    expect(calls).toEqual(['a', 'b', 'c', 'd']);
  });

  it('parallel merges, with partial success under the failure threshold', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const mk = (name: string, fail: boolean) =>
        sim.agent(name, async (s: AgentState) => {
          await sim.sleep(50);
          if (fail) throw new Error(name);
          return s.clone().set(name, 1);
        });
      const partial = await sim.parallel([mk('a', false), mk('b', true), mk('c', false)], new AgentState(), {
        failureThreshold: 0.5,
      });
      const failure = await sim.parallel([mk('d', true), mk('e', true), mk('f', false)], new AgentState(), {
        failureThreshold: 0.5,
      });
      return { partial, failure, now: sim.now() };
    });
    const { partial, failure, now } = result.value!;
    expect(now).toBe(100); // fan-out ran concurrently
    expect(partial.status).toBe('partial_success');
    expect((partial.output as AgentState).data).toEqual({ a: 1, c: 1 });
    expect(failure.status).toBe('failure');
    expect(result.trace.ofKind('orchestration.end').map((e) => e.data?.status)).toEqual([
      'partial_success',
      'failure',
    ]);
  });

  it('routes by metadata and reports unknown routes', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const router = sim.route('route', {
        research: sim.agent('researcher', () => 'researched'),
        write: sim.agent('writer', () => 'written'),
      });
      const a = await router(new AgentState({}, { route: 'write' }));
      const b = await router(new AgentState({}, { route: 'dance' }));
      return { a: a.output, b: b.status, error: String(b.error) };
    });
    expect(result.value).toMatchObject({ a: 'written', b: 'failure' });
    expect(result.value!.error).toMatch(/"dance".*research, write/);
  });

  it('loops until the condition or maxIterations (default 5)', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const inc = sim.agent('inc', (n: number) => n + 1);
      const untilThree = await sim.loop(inc, 0, { until: (n) => n >= 3 });
      const capped = await sim.loop(inc, 0);
      return [untilThree.output, capped.output, capped.outcomes.length];
    });
    expect(result.value).toEqual([3, 5, 5]);
  });

  it('mixed runs a collaborative phase then a pipeline', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const r = await sim.mixed(
        {
          collaborative: [
            sim.agent('x', () => new AgentState({ x: 1 })),
            sim.agent('y', () => new AgentState({ y: 2 })),
          ],
          sequential: [
            sim.agent('sum', (s: AgentState) => (s.get<number>('x') ?? 0) + (s.get<number>('y') ?? 0)),
          ],
        },
        new AgentState(),
      );
      return [r.status, r.output];
    });
    expect(result.value).toEqual(['success', 3]);
  });

  it('validates orchestration input', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      expect(() => sim.route('', {})).toThrow(ConfigError);
      await expect(sim.parallel([], 1)).rejects.toThrow(ConfigError);
      await expect(sim.parallel([sim.agent('a', () => 1)], 1, { failureThreshold: 2 })).rejects.toThrow(
        /failureThreshold/,
      );
      expect(() => sim.agent('a', () => 1, { timeout: 'soon' })).toThrow(/timeout.*"soon"/);
    });
    expect(result.error).toBeUndefined();
  });

  it('AgentState clones deeply and merges', () => {
    const a = new AgentState({ list: [1] }, { route: 'x' });
    const b = a.clone();
    (b.get<number[]>('list') ?? []).push(2);
    expect(a.get('list')).toEqual([1]);
    expect(a.merge(new AgentState({ k: 1 }, { route: 'y' })).toJSON()).toEqual({
      data: { list: [1], k: 1 },
      metadata: { route: 'y' },
    });
  });
});

describe('agent and orchestration edge cases', () => {
  it("the caller's abort ends a run at once even if the handler ignores its signal", async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const stubborn = sim.agent('stubborn', async () => {
        await sim.sleep('1h'); // ignores the signal
        return 'late';
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('caller gave up')), 500);
      const error = await stubborn.run(undefined, controller.signal).catch((e: Error) => e.message);
      return { error, now: sim.now() };
    });
    expect(result.value).toEqual({ error: 'caller gave up', now: 500 });
  });

  it('route does not treat Object.prototype members as routes', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const router = sim.route('route', { a: sim.agent('a', () => 1) });
      const r = await router({ route: 'toString' });
      return [r.status, String(r.error)];
    });
    expect(result.value![0]).toBe('failure');
    expect(result.value![1]).toMatch(/"toString".*one of a/);
  });

  it('mixed traces its own start', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      await sim.mixed(
        { collaborative: [sim.agent('x', () => 1)], sequential: [sim.agent('y', (n: number[]) => n)] },
        0,
      );
    });
    expect(result.trace.ofKind('orchestration.start').map((e) => e.actor)).toEqual([
      'mixed',
      'parallel',
      'sequential',
    ]);
  });

  it('refuses two services with the same name (they would share a random stream)', async () => {
    const result = await simulate({ seed: 1 }, (sim) => {
      sim.service('db', { handle: () => 1 });
      expect(() => sim.llm('db', { provider: 'openai' })).toThrow(/sim.service\(name\).*"db"/);
    });
    expect(result.error).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, type Sim, simulate, UnobservedFailureError } from '../../../src/index.js';

describe('unobserved failures', () => {
  it('a spawned task that throws while nobody awaits it fails the run, named by its task', async () => {
    const result = await simulate({ seed: 21 }, async (sim) => {
      sim.spawn('indexer', async () => {
        await sim.sleep('2s');
        throw new Error('index corrupt');
      });
      await sim.sleep('1m');
      return 'finished';
    });
    expect(result.outcome).toBe('failed');
    expect(UnobservedFailureError.is(result.error)).toBe(true);
    const error = result.error as UnobservedFailureError;
    expect(error.task).toBe('indexer');
    expect(error.message).toContain("task 'indexer' failed and nothing awaited it: Error: index corrupt");
    expect((error.cause as Error).message).toBe('index corrupt');
    expect(error.seed).toBe(21);
    expect(result.stats.virtualTimeMs).toBe(2000);
    expect(result.taskErrors).toMatchObject([{ task: 'indexer' }]);
  });

  it('a task whose promise is awaited, caught or raced does not fail the run by itself', async () => {
    const result = await simulate({ seed: 22 }, async (sim) => {
      const a = sim.spawn('awaited', async () => {
        await sim.sleep(5);
        throw new Error('a');
      });
      const b = sim.spawn('caught', async () => {
        await sim.sleep(10);
        throw new Error('b');
      });
      b.catch(() => {});
      const c = sim.spawn('in Promise.allSettled', async () => {
        throw new Error('c');
      });
      const settled = await Promise.allSettled([a, c]);
      await sim.sleep(20);
      return settled.map((s) => s.status);
    });
    expect(result.outcome).toBe('ok');
    expect(result.value).toEqual(['rejected', 'rejected']);
    expect(result.taskErrors.map((t) => t.task).sort()).toEqual([
      'awaited',
      'caught',
      'in Promise.allSettled',
    ]);
  });

  it('allowFailure opts one task out: its failure is recorded, the run goes on', async () => {
    const result = await simulate({ seed: 23 }, async (sim) => {
      sim.spawn(
        'chaos-probe',
        async () => {
          await sim.sleep(5);
          throw new Error('expected');
        },
        { allowFailure: true },
      );
      await sim.sleep('1s');
      return 'finished';
    });
    expect(result.outcome).toBe('ok');
    expect(result.value).toBe('finished');
    expect(result.taskErrors).toMatchObject([{ task: 'chaos-probe' }]);
    expect(result.trace.ofKind('task.end')[0]!.data).toMatchObject({ ok: false });
  });

  it('an allowFailure task still rejects for whoever awaits it', async () => {
    const result = await simulate({ seed: 24 }, async (sim) => {
      const t = sim.spawn('probe', () => Promise.reject(new Error('no')), { allowFailure: true });
      return t.then(
        () => 'resolved',
        (e: Error) => e.message,
      );
    });
    expect(result.value).toBe('no');
  });

  it('a floating failing call fails the run with its error', async () => {
    const result = await simulate({ seed: 25 }, async (sim) => {
      const llm = sim.service('llm', { handle: () => 'ok', faults: [] });
      void llm;
      const failing = sim.service('search', {
        handle: () => {
          throw new Error('search down');
        },
      });
      failing.call('q');
      await sim.sleep('1s');
    });
    expect(result.outcome).toBe('failed');
    expect(String((result.error as Error).message)).toContain('search down');
  });

  it('is deterministic: same seed, same hash, for a run failed by an unobserved task', async () => {
    const scenario = async (sim: Sim) => {
      sim.spawn('w', async () => {
        await sim.sleep(sim.random.next() * 1000);
        throw new Error('w');
      });
      await sim.sleep('1h');
    };
    const a = await simulate({ seed: 26 }, scenario);
    const b = await simulate({ seed: 26 }, scenario);
    expect(a.trace.hash).toBe(b.trace.hash);
  });

  it('rejects unknown or mistyped spawn options', async () => {
    const result = await simulate({ seed: 1 }, (sim) => {
      expect(() => sim.spawn('x', () => 1, { allowFailures: true } as never)).toThrow(ConfigError);
      expect(() => sim.spawn('x', () => 1, { allowFailure: 'yes' } as never)).toThrow(/allowFailure/);
    });
    expect(result.outcome).toBe('ok');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, SimulationDeadlockError, SimulationLimitError, simulate } from '../../../src/index.js';

describe('simulate', () => {
  afterEach(() => {
    delete process.env.FAULTLINE_SEED;
  });

  it('resolves with seed, value, trace, stats and a rerun command', async () => {
    const result = await simulate({ seed: 42, name: 'basic' }, async (sim) => {
      await sim.sleep('1.5s');
      sim.emit('hello', { n: 1 }, 'me');
      return 'done';
    });
    expect(result.seed).toBe(42);
    expect(result.name).toBe('basic');
    expect(result.value).toBe('done');
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('ok');
    expect(result.stats.virtualTimeMs).toBe(1500);
    expect(result.trace.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.trace.ofKind('hello')).toEqual([
      { seq: 1, t: 1500, kind: 'hello', actor: 'me', data: { n: 1 } },
    ]);
    expect(result.rerun).toBe(
      `FAULTLINE_SEED=42 npx vitest run test/simulators/kernel/simulate.test.ts -t 'resolves with seed, value, trace, stats and a rerun command'`,
    );
  });

  it('takes the seed from FAULTLINE_SEED, else a fixed default', async () => {
    const fallback = await simulate({}, () => Math.random());
    expect(fallback.seed).toBe(1);
    process.env.FAULTLINE_SEED = '977';
    const fromEnv = await simulate({}, () => Math.random());
    expect(fromEnv.seed).toBe(977);
    const explicit = await simulate({ seed: 977 }, () => Math.random());
    expect(fromEnv.value).toBe(explicit.value);
    process.env.FAULTLINE_SEED = 'replay-me';
    expect((await simulate({}, () => 0)).seed).toBe('replay-me');
  });

  it('runs one virtual hour of timers quickly and exactly', async () => {
    const result = await simulate({ seed: 1, until: '1h', wallTimeout: '30s' }, (sim) => {
      let ticks = 0;
      sim.spawn('ticker', async () => {
        while (sim.now() < 3_600_000) {
          await sim.sleep('100ms');
          ticks++;
        }
      });
      return () => ticks;
    });
    expect(result.stats.virtualTimeMs).toBe(3_600_000);
    expect(result.value!()).toBe(36_000);
    expect(result.stats.steps).toBe(36_000);
  });

  it('with until, keeps running to that time after the body settles', async () => {
    const result = await simulate({ seed: 1, until: '10m' }, (sim) => {
      const seen: number[] = [];
      setInterval(() => seen.push(sim.now()), 4 * 60_000);
      return seen;
    });
    expect(result.value).toEqual([240_000, 480_000]);
    expect(result.stats.virtualTimeMs).toBe(600_000);
    expect(result.outcome).toBe('ok');
    expect(result.pendingTimers).toMatchObject([
      { kind: 'interval', at: 720_000, delay: 240_000, ref: true },
    ]);
  });

  it('with until, stops a body that is still working and reports it', async () => {
    const result = await simulate({ seed: 1, until: '1m' }, async (sim) => {
      sim.spawn('forever', async () => {
        for (;;) await sim.sleep('10s');
      });
      await sim.sleep('1h');
    });
    expect(result.outcome).toBe('stopped');
    expect(result.stats.virtualTimeMs).toBe(60_000);
    expect(result.pendingTasks).toEqual(['forever']);
  });

  it('ends when the body and its tasks settle, reporting leaked timers without running them', async () => {
    let fired = false;
    const result = await simulate({ seed: 1 }, async (sim) => {
      setTimeout(() => {
        fired = true;
      }, 5000);
      const t = sim.spawn('worker', async () => {
        await sim.sleep(300);
        return 'w';
      });
      return t;
    });
    expect(result.value).toBe('w');
    expect(fired).toBe(false);
    expect(result.stats.virtualTimeMs).toBe(300);
    expect(result.pendingTimers).toMatchObject([{ kind: 'timeout', at: 5000, ref: true }]);
  });

  it('waits for spawned tasks the body did not await', async () => {
    const result = await simulate({ seed: 1 }, (sim) => {
      sim.spawn('background', async () => {
        await sim.sleep('3s');
        sim.emit('background.done', {}, 'background');
      });
      return 'returned early';
    });
    expect(result.stats.virtualTimeMs).toBe(3000);
    expect(result.trace.ofKind('background.done')).toHaveLength(1);
  });

  it('records failed tasks in the trace and in taskErrors', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.spawn(
        'flaky',
        async () => {
          await sim.sleep(5);
          throw new Error('task failed');
        },
        { allowFailure: true },
      );
    });
    expect(result.outcome).toBe('ok');
    expect(result.taskErrors).toHaveLength(1);
    expect(result.taskErrors[0]!.task).toBe('flaky');
    expect(result.trace.ofKind('task.end')[0]!.data).toMatchObject({ ok: false });
    expect(result.stats.tasks).toEqual({ spawned: 1, failed: 1 });
  });

  it('sim.sleep honours an abort signal at once', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('stop')), 100);
      const error = await sim.sleep('1h', controller.signal).catch((e: Error) => e.message);
      return { error, now: sim.now() };
    });
    expect(result.value).toEqual({ error: 'stop', now: 100 });
  });

  it('diagnoses a deadlock naming the stuck tasks and their last events', async () => {
    const error = await simulate({ seed: 5 }, async (sim) => {
      sim.spawn('researcher', async () => {
        sim.emit('llm.request', { prompt: 'q' }, 'researcher');
        await sim.sleep(200);
        sim.emit('llm.waiting', {}, 'researcher');
        await new Promise(() => {}); // never resolves
      });
      sim.spawn('fine', () => sim.sleep(10));
      await sim.sleep(1000);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationDeadlockError);
    const deadlock = error as SimulationDeadlockError;
    expect(deadlock.pending.map((p) => p.name)).toEqual(['researcher']);
    expect(deadlock.pending[0]!.lastEvents.map((e) => e.kind)).toEqual([
      'task.start',
      'llm.request',
      'llm.waiting',
    ]);
    expect(deadlock.time).toBe(1000);
    expect(deadlock.message).toContain('researcher');
    expect(deadlock.message).toContain('llm.waiting');
    expect(deadlock.message).toContain('Seed 5');
    expect(deadlock.message).toContain('FAULTLINE_SEED=5');
  });

  it('diagnoses a body waiting on a promise that never resolves', async () => {
    await expect(
      simulate({ seed: 1 }, async () => {
        await new Promise(() => {});
      }),
    ).rejects.toThrow(/<body>/);
  });

  it('stops runaway runs at maxSteps, maxTime and wallTimeout', async () => {
    const spin = async (sim: { sleep(ms: number): Promise<void> }) => {
      for (;;) await sim.sleep(1000);
    };
    const steps = await simulate({ seed: 1, maxSteps: 50 }, spin).catch((e: unknown) => e);
    expect(SimulationLimitError.is(steps)).toBe(true);
    expect((steps as SimulationLimitError).limit).toBe('maxSteps');
    expect((steps as Error).message).toMatch(/50 timer steps.*Seed 1; rerun: FAULTLINE_SEED=1/s);

    const time = await simulate({ seed: 2, maxTime: '1h' }, spin).catch((e: unknown) => e);
    expect((time as SimulationLimitError).limit).toBe('maxTime');
    expect((time as Error).message).toContain('virtual 1h00m0s');

    const wall = await simulate({ seed: 3, wallTimeout: 50 }, async (sim) => {
      for (;;) await sim.sleep(1);
    }).catch((e: unknown) => e);
    expect((wall as SimulationLimitError).limit).toBe('wallTimeout');
  });

  it('rejects bad options with ConfigError naming the option and value', async () => {
    await expect(simulate({ seed: 1, until: 'soon' }, () => 0)).rejects.toThrow(ConfigError);
    await expect(simulate({ seed: 1, until: 'soon' }, () => 0)).rejects.toThrow(/until.*"soon"/);
    await expect(simulate({ seed: Number.NaN }, () => 0)).rejects.toThrow(/seed/);
    await expect(simulate({ seed: 1, maxSteps: 0 }, () => 0)).rejects.toThrow(/maxSteps.*got 0/);
    await expect(simulate({ seed: 1, untill: '1h' } as never, () => 0)).rejects.toThrow(/untill/);
    await expect(simulate({ seed: 1 }, undefined as never)).rejects.toThrow(ConfigError);
  });
});

describe('simulate diagnostics', () => {
  it('names a hung HTTP request in the deadlock message', async () => {
    const { faults } = await import('../../../src/index.js');
    const error = await simulate({ seed: 8 }, async (sim) => {
      sim.http(
        'https://api.example.test',
        sim.service('api', { faults: [faults.hang()], handle: () => ({ ok: true }) }),
      );
      await fetch('https://api.example.test/v1/thing');
    }).catch((e: unknown) => e);
    expect(SimulationDeadlockError.is(error)).toBe(true);
    expect((error as Error).message).toContain(
      '1 HTTP request(s) through sim.http still waiting for a response',
    );
    expect((error as SimulationDeadlockError).pending[0]!.lastEvents.map((e) => e.kind)).toContain(
      'service.call',
    );
  });

  it('validates the progress option', async () => {
    await expect(simulate({ seed: 1, progress: 'yes' as never }, () => 0)).rejects.toThrow(/progress.*"yes"/);
    const quiet = await simulate({ seed: 1, progress: () => {} }, async (sim) => sim.sleep('1h'));
    expect(quiet.stats.virtualTimeMs).toBe(3_600_000);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import { type CheckProgress, PRINT_EVERY_MS, ProgressTracker } from '../../src/properties/check-progress.js';
import { checkResilience, ResilienceCheckError } from '../../src/properties/check-resilience.js';
import { fc } from '../../src/properties/index.js';
import { invariants } from '../../src/properties/invariants/index.js';

/** A tracker on a hand-moved clock, printing into `lines`. */
function tracker(numRuns: number) {
  let now = 0;
  const lines: string[] = [];
  const t = new ProgressTracker(
    'my breaker',
    numRuns,
    'print',
    () => now,
    (text) => lines.push(text),
  );
  return { t, lines, advance: (ms: number) => (now += ms) };
}

describe('checkResilience progress: printed', () => {
  it('prints nothing for a check quicker than the first interval, not even a closing line', () => {
    const { t, lines, advance } = tracker(100);
    for (let i = 0; i < 100; i++) {
      advance(PRINT_EVERY_MS / 200);
      t.ran(false);
    }
    t.end();
    expect(lines).toEqual([]);
  });

  it('prints a line per interval with runs, rate and ETA, then shrinking, then a closing line', () => {
    const { t, lines, advance } = tracker(10_000);
    for (let i = 0; i < 3000; i++) {
      advance(1);
      t.ran(false);
    }
    expect(lines).toEqual(['checkResilience "my breaker": 3,000/10,000 runs · 1000 runs/s · ETA 7s\n']);
    advance(1);
    t.ran(true); // run 3,001 fails
    for (let i = 0; i < 40; i++) {
      advance(100);
      t.ran(i % 4 === 0);
    }
    t.end();
    expect(lines.slice(1)).toEqual([
      'checkResilience "my breaker": run 3,001 failed; shrinking: 30 candidates tried, 8 smaller counterexamples · 6s\n',
      'checkResilience "my breaker": run 3,001 failed; shrunk 10 times in 40 candidates; 7.0s in all\n',
    ]);
  });
});

describe('checkResilience progress: option', () => {
  const arbitraries = { n: fc.integer({ min: 0, max: 1000 }) };
  const quiet = async () => {};

  it('calls a progress function after every run, in order, with the phase and counts', async () => {
    const seen: CheckProgress[] = [];
    await checkResilience({
      arbitraries,
      scenario: quiet,
      invariants: [],
      numRuns: 25,
      failures: false,
      progress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.runs)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(seen.every((p) => p.phase === 'runs' && p.numRuns === 25 && p.failedAt === undefined)).toBe(true);
  });

  it('reports the shrinking of a failing check with the counts the error gives', async () => {
    const seen: CheckProgress[] = [];
    const error = (await checkResilience({
      arbitraries,
      scenario: async (sim, { n }) => {
        if (n > 10) sim.emit('big', { n });
      },
      invariants: [
        invariants.define('small', (trace) => trace.ofKind('big').map(() => ({ message: 'too big' }))),
      ],
      numRuns: 200,
      failures: false,
      progress: (p) => seen.push(p),
    }).catch((e) => e)) as ResilienceCheckError;
    expect(error).toBeInstanceOf(ResilienceCheckError);
    const last = seen.at(-1)!;
    expect(last.phase).toBe('shrinking');
    expect(last.failedAt).toBe(error.runs.untilFailure);
    expect(last.shrinks).toBe(error.runs.shrinks);
    expect(last.shrinkSteps).toBeGreaterThanOrEqual(last.shrinks);
    expect(seen.filter((p) => p.phase === 'runs').length).toBe(error.runs.untilFailure - 1);
  });

  it('rejects with the error a progress function threw, after the check', async () => {
    const boom = new Error('progress broke');
    await expect(
      checkResilience({
        arbitraries,
        scenario: quiet,
        invariants: [],
        numRuns: 5,
        failures: false,
        progress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });

  it('refuses anything but true, false or a function, naming the option', async () => {
    const bad = checkResilience({
      arbitraries,
      scenario: quiet,
      numRuns: 1,
      failures: false,
      progress: 'yes' as unknown as boolean,
    });
    await expect(bad).rejects.toBeInstanceOf(ConfigError);
    await expect(bad).rejects.toThrow(/checkResilience\(\{ progress \}\).*"yes".*true, false or a function/);
  });
});

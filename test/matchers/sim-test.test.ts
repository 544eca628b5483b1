import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { simTest } from 'faultline/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const seen: { name: string; seed: unknown; now: number; args: unknown[] }[] = [];
const previousSeed = process.env.FAULTLINE_SEED;
beforeAll(() => {
  process.env.FAULTLINE_SEED = '1234';
});
afterAll(() => {
  if (previousSeed === undefined) delete process.env.FAULTLINE_SEED;
  else process.env.FAULTLINE_SEED = previousSeed;
});

describe('simTest', () => {
  simTest(
    'runs its body inside simulate, on virtual time; FAULTLINE_SEED, when set, overrides the seed option',
    async (sim) => {
      await sim.sleep('2h');
      seen.push({ name: 'options', seed: sim.seed, now: Date.now(), args: [] });
    },
    { seed: 99 },
  );

  simTest('takes the seed from FAULTLINE_SEED when options give none', (sim) => {
    seen.push({ name: 'env', seed: sim.seed, now: sim.now(), args: [] });
  });

  simTest.each([
    [1, 'a'],
    [2, 'b'],
  ])('each spreads array rows after sim (%i)', (sim, n, s) => {
    seen.push({ name: 'each-array', seed: sim.seed, now: sim.now(), args: [n, s] });
  });

  simTest.each([{ rate: 0.5 }, { rate: 0.25 }])(
    'each passes object rows whole ($rate)',
    (sim, row) => {
      seen.push({ name: 'each-object', seed: sim.seed, now: sim.now(), args: [row.rate] });
    },
    { seed: 5 },
  );

  it('ran every body once, with its seed and rows', () => {
    expect(seen).toEqual([
      { name: 'options', seed: 1234, now: Date.UTC(2025, 0, 1, 2), args: [] },
      { name: 'env', seed: 1234, now: 0, args: [] },
      { name: 'each-array', seed: 1234, now: 0, args: [1, 'a'] },
      { name: 'each-array', seed: 1234, now: 0, args: [2, 'b'] },
      { name: 'each-object', seed: 1234, now: 0, args: [0.5] },
      { name: 'each-object', seed: 1234, now: 0, args: [0.25] },
    ]);
  });
});

interface JsonReport {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

describe('simTest failures (a child vitest over fixtures/sim-test.fixture.ts)', () => {
  let results: Map<string, { status: string; message: string }>;
  beforeAll(async () => {
    const child = await promisify(execFile)(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'test/matchers/fixtures/vitest.config.ts',
        '--reporter=json',
      ],
      { env: { ...process.env, FAULTLINE_SEED: '', NO_COLOR: '1' }, maxBuffer: 16 << 20 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(child.stdout.slice(child.stdout.indexOf('{'))) as JsonReport;
    results = new Map(
      report.testResults
        .flatMap((f) => f.assertionResults)
        .map((a) => [
          a.title,
          { status: a.status, message: a.failureMessages.join('\n').split('\n    at ')[0]! },
        ]),
    );
  }, 60_000);

  it('an assertion inside the body fails the test with the seed and rerun command as its last line', () => {
    expect(results.get('an assertion fails inside the run')).toEqual({
      status: 'failed',
      message: expect.stringMatching(
        /^AssertionError: expected 5000 to be \+0 .*\nseed 42 — rerun: FAULTLINE_SEED=42 npx vitest run test\/matchers\/fixtures\/sim-test\.fixture\.ts -t 'an assertion fails inside the run'$/s,
      ),
    });
  });

  it('a thrown error gets the seed line once (its stack is read before its message changes)', () => {
    expect(results.get('an error is thrown')?.message).toBe(
      "Error: boom\nseed 1 — rerun: FAULTLINE_SEED=1 npx vitest run test/matchers/fixtures/sim-test.fixture.ts -t 'an error is thrown'",
    );
  });

  it('a thrown non-error becomes an error that says so, with the default seed', () => {
    expect(results.get('a non-error is thrown')?.message).toBe(
      `Error: the simulation body threw the non-error value "plain string"\nseed 1 — rerun: FAULTLINE_SEED=1 npx vitest run test/matchers/fixtures/sim-test.fixture.ts -t 'a non-error is thrown'`,
    );
  });

  it('each row is its own test; a failing row names its own rerun', () => {
    expect(results.get('row 1 (one)')?.status).toBe('passed');
    expect(results.get('row 2 (two)')?.message).toMatch(
      /\nseed 1 — rerun: FAULTLINE_SEED=1 npx vitest run test\/matchers\/fixtures\/sim-test\.fixture\.ts -t 'row 2 \\\(two\\\)'$/,
    );
  });

  it('a kernel failure (deadlock) reports the seed and the rerun command', () => {
    const { status, message } = results.get('the run deadlocks')!;
    expect(status).toBe('failed');
    expect(message).toMatch(/^SimulationDeadlockError: simulation deadlocked/);
    expect(message).toContain(
      "Seed stuck; rerun: FAULTLINE_SEED=stuck npx vitest run test/matchers/fixtures/sim-test.fixture.ts -t 'the run deadlocks'",
    );
  });

  it('a body `until` stopped before it returned fails the test: its assertions never ran', () => {
    expect(results.get('until stops the body before its assertion')).toEqual({
      status: 'failed',
      message:
        'Error: the run reached `until` (+1m0s) before the body returned: the rest of the body, its assertions included, never ran (raise `until`, or let the body return before it)\n' +
        "seed 8 — rerun: FAULTLINE_SEED=8 npx vitest run test/matchers/fixtures/sim-test.fixture.ts -t 'until stops the body before its assertion'",
    });
  });

  it('a passing simTest passes', () => {
    expect(results.get('passes')?.status).toBe('passed');
  });
});

describe('simTest and FAULTLINE_RUN', () => {
  it('a bad FAULTLINE_RUN fails the definition at once, naming the variable', () => {
    const before = process.env.FAULTLINE_RUN;
    process.env.FAULTLINE_RUN = 'x';
    try {
      expect(() => simTest('never defined', () => {})).toThrow(
        /^FAULTLINE_RUN: got "x"; expected a positive integer/,
      );
    } finally {
      if (before === undefined) delete process.env.FAULTLINE_RUN;
      else process.env.FAULTLINE_RUN = before;
    }
  });
});

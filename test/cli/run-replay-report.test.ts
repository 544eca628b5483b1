import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFailure } from '../../src/cli/failure-file.js';
import { faultline, tempDir, widest } from './helpers.js';

const flaky = 'test/cli/fixtures/flaky-llm.ts';
const unlucky = 'test/cli/fixtures/unlucky.mjs';
const out = tempDir();
afterAll(() => rmSync(out, { recursive: true, force: true }));

function hashOf(stdout: string): string {
  const m = /hash ([0-9a-f]{16})/.exec(stdout);
  if (!m) throw new Error(`no hash in output:\n${stdout}`);
  return m[1]!;
}

let seven: Promise<{ code: number; stdout: string; stderr: string }>;
beforeAll(() => {
  seven = faultline(['run', flaky]);
});

describe('faultline run', () => {
  it('runs a TypeScript scenario file: timeline, summary tables, verdict and replay command, within 80 columns', async () => {
    const r = await seven;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenario "flaky llm" · seed 7');
    expect(r.stdout).toMatch(/breaker\.state\s+llm\s+closed → open \(failure-threshold\)/);
    expect(r.stdout).toMatch(/fault\.injected\s+llm\s+req-\d+ call \d+: errors → status 429/);
    expect(r.stdout).toMatch(/services \(latency virtual\)\n\s+name\s+calls\s+err%\s+p50\s+p95\s+p99/);
    expect(r.stdout).toMatch(/retries\n\s+name\s+reqs\s+tries\s+amplif/);
    expect(r.stdout).toMatch(/invariants: breaker holds, retry holds, timeout holds,\s+accounting holds/);
    expect(r.stdout).toMatch(/\nok · seed 7 · virtual 1m30s/);
    expect(r.stdout).toContain(`replay: faultline replay ${flaky} --seed 7`);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });

  it('exits 1 when the scenario fails, naming the error; loads plain JavaScript scenarios', async () => {
    const failing = await faultline(['run', unlucky, '--seed', '2']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('FAILED · seed 2');
    expect(failing.stdout).toContain('failure: Error: unlucky draw');
    expect(failing.stdout).toContain(`replay: faultline replay ${unlucky} --seed 2`);
    const passing = await faultline(['run', unlucky, '--seed', '1']);
    expect(passing.code).toBe(0);
  });

  it('writes the JSONL trace, the HTML report and the Chrome trace on request', async () => {
    const trace = join(out, 'run.jsonl');
    const report = join(out, 'run.html');
    const chrome = join(out, 'run.json');
    const r = await faultline([
      'run',
      flaky,
      '--seed',
      '12',
      '--trace',
      trace,
      '--report',
      report,
      '--chrome-trace',
      chrome,
    ]);
    expect(r.code).toBe(0);
    expect(hashOf(r.stdout)).not.toBe(hashOf((await seven).stdout)); // another seed, another run
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'sim.start', seq: 0 });
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/); // self-contained
    const events = JSON.parse(readFileSync(chrome, 'utf8')).traceEvents as {
      ph: string;
      name: string;
      args?: { name?: string };
    }[];
    const threads = events.filter((e) => e.name === 'thread_name').map((e) => e.args?.name);
    expect(threads).toEqual(expect.arrayContaining(['researcher', 'llm']));
    expect(events.some((e) => e.ph === 'X')).toBe(true);
  });

  it('--request shows only one request; --all shows every event', async () => {
    const all = await faultline([
      'run',
      unlucky,
      '--seed',
      '1',
      '--all',
      '--limit',
      '1000',
      '--no-invariants',
    ]);
    expect(all.stdout).not.toContain('invariants:');
    const one = await faultline(['run', unlucky, '--seed', '1', '--request', 'req-2']);
    expect(one.stdout).toContain('timeline of request req-2');
    const lines = one.stdout.split('timeline of request req-2\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual([
      'request.start',
      'service.call',
      'service.end',
      'request.end',
    ]);
    expect(lines[3]).toMatch(/#1 success$/);
    expect(all.stdout).toMatch(/service\.call\s+db\s+req-1 call=0/);
    expect(all.stdout).toMatch(/request\.end\s+workload:burst#1\s+req-5 #4 success/);
  });
});

describe('faultline replay', () => {
  it('replays a scenario file at a seed with the same hash as run (another process, same trace)', async () => {
    const replay = await faultline(['replay', flaky, '--seed', '7']);
    expect(hashOf(replay.stdout)).toBe(hashOf((await seven).stdout));
  });

  it('replays a failure file, checks the recorded trace hash, and shows where a changed scenario diverged', async () => {
    const dir = join(out, 'graveyard');
    const file = join(out, 'scenario.mjs');
    const source = readFileSync(unlucky, 'utf8');
    writeFileSync(file, source);
    // The failure as explore records it: the trace of seed 2.
    const trace = join(out, 'seed2.jsonl');
    const first = await faultline(['run', file, '--seed', '2', '--trace', trace]);
    expect(first.code).toBe(1);
    const jsonl = readFileSync(trace, 'utf8');
    const { Trace } = await import('../../src/index.js');
    const path = writeFailure(
      {
        file,
        scenario: 'unlucky',
        seed: 2,
        swarm: false,
        traceHash: Trace.fromJSONL(jsonl).hash,
        error: 'Error: unlucky draw',
        replay: `faultline replay ${file} --seed 2`,
      },
      jsonl,
      dir,
    );
    const same = await faultline(['replay', path]);
    expect(same.code).toBe(1);
    expect(same.stdout).toContain('reproduced: trace hash');
    expect(same.stdout).toContain('failure: Error: unlucky draw');

    writeFileSync(file, source.replace('latency: 50', 'latency: 60'));
    const changed = await faultline(['replay', path]);
    expect(changed.stdout).toContain('DIVERGED');
    expect(changed.stdout).toMatch(/first divergent event: #\d+/);
    expect(changed.stdout).toMatch(/recorded: +\{.*"kind":"service\.end"/);
    expect(changed.stdout).toMatch(/now: +\{.*"kind":"service\.end"/);
  });

  it("replays a checkResilience failure with the test's own rerun command (its exit code)", async () => {
    const { writePropertyFailure } = await import('../../src/properties/failure-store.js');
    const path = writePropertyFailure(
      {
        name: 'breaker keeps its invariants',
        keys: ['config'],
        inputs: { config: { failureThreshold: 1 } },
        seed: 42,
        fastCheck: { seed: 7 },
        invariant: 'breaker',
        error: 'invariant breaker violated',
        replay: 'echo rerunning the property; exit 1',
      },
      join(out, 'graveyard'),
    );
    const r = await faultline(['replay', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('property "breaker keeps its invariants" · seed 42');
    expect(r.stdout).toContain('running: echo rerunning the property; exit 1');
    expect(r.stdout).toContain('rerunning the property');
  });

  it('needs --seed with a scenario file, and refuses --seed with a failure file', async () => {
    const r = await faultline(['replay', flaky]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('replay of a scenario file needs --seed <n>');
  });
});

describe('faultline report', () => {
  it('renders a saved trace as HTML (and a Chrome trace)', async () => {
    const trace = join(out, 'for-report.jsonl');
    await faultline(['run', flaky, '--trace', trace]);
    const html = join(out, 'for-report.html');
    const chrome = join(out, 'for-report.json');
    const r = await faultline(['report', trace, '-o', html, '--chrome-trace', chrome]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`report: ${html}`);
    expect(readFileSync(html, 'utf8')).toContain('<svg id="timeline"');
    expect(readFileSync(html, 'utf8')).toMatch(/<tr class="pass"><td>breaker<\/td><td>holds<\/td>/);
    expect(existsSync(chrome)).toBe(true);
  });

  it('says clearly when the input is not a trace', async () => {
    const bad = join(out, 'bad.jsonl');
    writeFileSync(bad, 'not json\n');
    const r = await faultline(['report', bad, '-o', join(out, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a faultline JSONL trace: trace JSONL line 1');
  });
});

describe('command line errors and help', () => {
  it('has --help on every command', async () => {
    for (const command of [[], ['run'], ['explore'], ['replay'], ['report']]) {
      const r = await faultline([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: faultline');
    }
  });

  it('rejects unknown flags and bad values, naming them', async () => {
    const unknown = await faultline(['run', flaky, '--sead', '3']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown option '--sead'");
    const seed = await faultline(['run', flaky, '--seed', '']);
    expect(seed.code).not.toBe(0);
    expect(seed.stderr).toContain("option '--seed <n>' argument '' is invalid");
    const until = await faultline(['run', flaky, '--until', 'soon']);
    expect(until.stderr).toContain("option '--until <duration>' argument 'soon' is invalid");
    const command = await faultline(['walk']);
    expect(command.stderr).toContain("unknown command 'walk'");
  });

  it('says what is wrong with a scenario file', async () => {
    const missing = await faultline(['run', 'nope.ts']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('scenario file not found: nope.ts');
    const wrong = await faultline(['run', 'test/cli/fixtures/not-a-scenario.ts']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('must export a scenario as its default export');
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardSeeds } from '../../src/cli/commands/explore.js';
import { failingSeeds, faultline, tempProjects } from './helpers.js';

const unlucky = join(process.cwd(), 'test/cli/fixtures/unlucky.mjs');
const project = tempProjects();

describe('shards', () => {
  it('partition the seeds: every seed in exactly one shard, deterministically', () => {
    const all = [1, 2, 3].flatMap((i) => shardSeeds(10, 100, { index: i, count: 3 }));
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, k) => 10 + k));
    expect(shardSeeds(10, 100, { index: 2, count: 3 })).toEqual(shardSeeds(10, 100, { index: 2, count: 3 }));
    expect(shardSeeds(1, 5, undefined)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('faultline explore', () => {
  it('runs every seed in worker threads with --continue, prints each failure with its replay command, saves failure files, exits 1', async () => {
    const cwd = project();
    const r = await faultline(['explore', unlucky, '--runs', '24', '--workers', '2', '--continue'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /explored 24 of 24 seeds in [\d.]+ s with 2 worker\(s\): [\d.]+ runs\/s; \d+ failed/,
    );
    const seeds = failingSeeds(r.stdout);
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.length).toBeLessThan(24);
    for (const seed of seeds) {
      expect(r.stderr).toContain(`✗ seed ${seed}: Error: unlucky draw`);
      expect(r.stderr).toContain(`replay: faultline replay ${unlucky} --seed ${seed}`);
    }
    expect(r.stderr).toMatch(/\d+\/24 · \d+ runs\/s · \d+ failed · ETA/);
    const graveyard = join(cwd, '.faultline/failures');
    const files = readdirSync(graveyard).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(seeds.length);
    const first = JSON.parse(readFileSync(join(graveyard, `unlucky-seed-${seeds[0]}.json`), 'utf8'));
    expect(first).toMatchObject({ seed: seeds[0], scenario: 'unlucky', error: 'Error: unlucky draw' });
    expect(first.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(graveyard, first.trace))).toBe(true);

    // The saved failure replays, from the failure file, to the recorded trace hash.
    const replay = await faultline(['replay', join(graveyard, `unlucky-seed-${seeds[0]}.json`)], { cwd });
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('reproduced: trace hash');

    // Shards split the same search: together they find the same failures.
    const shards = await Promise.all(
      ['1/2', '2/2'].map((s) =>
        faultline(['explore', unlucky, '--runs', '24', '--workers', '1', '--continue', '--shard', s], {
          cwd: project(),
        }),
      ),
    );
    expect(shards.map((s) => s.stdout.match(/explored (\d+) of/)?.[1])).toEqual(['12', '12']);
    expect(shards.flatMap((s) => failingSeeds(s.stdout)).sort((a, b) => a - b)).toEqual(seeds);
  }, 60_000);

  it('stops at the first failure by default', async () => {
    const r = await faultline(['explore', unlucky, '--runs', '200', '--workers', '1', '--batch', '1'], {
      cwd: project(),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stopped at the first failure');
    const done = Number(/explored (\d+) of 200/.exec(r.stdout)?.[1]);
    expect(done).toBeLessThan(200);
  }, 60_000);

  it('exits 0 when every seed passes; --swarm gives each seed its own fault mix', async () => {
    const ok = await faultline([
      'explore',
      'test/cli/fixtures/flaky-llm.ts',
      '--runs',
      '4',
      '--first-seed',
      '7',
      '--workers',
      '1',
    ]);
    expect(ok.stdout).toMatch(/explored 4 of 4 seeds .*; 0 failed/);
    // Start-up (thread, TypeScript loader, scenario import) is reported apart from the steady rate.
    expect(ok.stdout).toMatch(
      /start-up [\d.]+ s \(worker threads, TypeScript loader, scenario import\), then [\d.]+ runs\/s/,
    );
    expect(ok.code).toBe(0);
    const swarm = await faultline([
      'run',
      'test/cli/fixtures/unlucky.mjs',
      '--seed',
      '1',
      '--swarm',
      '--all',
      '--limit',
      '3',
    ]);
    expect(swarm.stdout).toMatch(/service\.create\s+db\s+faults=\["swarm\[/);
  }, 60_000);

  it('stops starting seeds when the time budget is spent', async () => {
    const r = await faultline([
      'explore',
      'test/cli/fixtures/flaky-llm.ts',
      '--runs',
      '5000',
      '--workers',
      '1',
      '--time-budget',
      '1ms',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(time budget spent)');
    expect(Number(/explored (\d+) of 5000/.exec(r.stdout)?.[1])).toBeLessThan(5000);
  }, 60_000);

  it('rejects bad values clearly', async () => {
    for (const [flag, value] of [
      ['--shard', '3/2'],
      ['--runs', '0'],
      ['--workers', 'two'],
      ['--time-budget', 'forever'],
    ]) {
      const r = await faultline(['explore', unlucky, flag!, value!]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`argument '${value}' is invalid`);
    }
  });
});

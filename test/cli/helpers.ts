import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Runs the built bin (`npm test` builds first) and never rejects: exit code and output.
 * The child gets this process's environment without `FAULTLINE_SEED` / `FAULTLINE_RUN`
 * (a test that wants them passes them in `env`).
 */
export function faultline(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = join(process.cwd(), 'dist/cli/main.js');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: options.cwd ?? process.cwd(),
        env: { ...process.env, FAULTLINE_SEED: undefined, FAULTLINE_RUN: undefined, ...options.env },
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'faultline-cli-'));
}

/** A maker of fresh temp directories, all removed after the calling file's tests. */
export function tempProjects(): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
}

/** The seeds an `explore` summary lists as failing. */
export function failingSeeds(stdout: string): number[] {
  const m = /failing seeds: ([\d, ]+)/.exec(stdout);
  return m ? m[1]!.split(', ').map(Number) : [];
}

/** Display width of the longest line (code points, not bytes). */
export function widest(text: string): number {
  return Math.max(...text.split('\n').map((l) => [...l].length));
}

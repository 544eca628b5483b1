import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** Display width of the longest line (code points, not bytes). */
export function widest(text: string): number {
  return Math.max(...text.split('\n').map((l) => [...l].length));
}

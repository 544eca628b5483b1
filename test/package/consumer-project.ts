import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { childEnv } from '../support/child-env.js';

const exec = promisify(execFile);

/** The repository root (this file lives in `test/package/`). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repoModules = join(repoRoot, 'node_modules');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Heavy dev tools the consumer borrows from the repository instead of installing them again. */
const BORROWED = ['vitest', '@types/node'] as const;

/** Newest modification time under `dir` (files only), 0 when it does not exist. */
function newestMtime(dir: string): number {
  let newest = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const stat = statSync(join(dir, entry));
    if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

export interface ConsumerProject {
  /** The consumer's directory, outside the repository. */
  readonly dir: string;
  /** The packed tarball. */
  readonly tarball: string;
  /** Files in the tarball, relative to the package root (`dist/index.js`, ...). */
  readonly files: readonly string[];
  remove(): Promise<void>;
}

/**
 * Packs the repository (building first when `dist/` is older than `src/`) and
 * installs the tarball into a fresh project under the OS temp directory, with
 * `typescript@latest` next to it. The npm cache is reused (`--prefer-offline`).
 */
export async function createConsumerProject(): Promise<ConsumerProject> {
  const srcTime = Math.max(
    newestMtime(join(repoRoot, 'src')),
    statSync(join(repoRoot, 'package.json')).mtimeMs,
  );
  if (newestMtime(join(repoRoot, 'dist')) < srcTime) {
    await exec(npm, ['run', 'build'], { cwd: repoRoot });
  }
  const dir = mkdtempSync(join(tmpdir(), 'faultline-consumer-'));
  try {
    // `prepack` builds; the build above already ran, so the scripts are skipped here
    // (a rebuild while other test files run could hand them half-written files).
    const { stdout } = await exec(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: repoRoot,
    });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (!packed) throw new Error(`npm pack printed no result: ${stdout}`);
    const tarball = join(dir, packed.filename);
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'faultline-consumer', private: true, type: 'module' }, null, 2)}\n`,
    );
    await exec(
      npm,
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-save', tarball, 'typescript@latest'],
      { cwd: dir, env: childEnv() },
    );
    for (const name of BORROWED) {
      const link = join(dir, 'node_modules', name);
      rmSync(link, { recursive: true, force: true }); // a dependency may have pulled in its own copy
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(repoModules, name), link, 'dir');
    }
    return {
      dir,
      tarball,
      files: packed.files.map((f) => f.path),
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The TypeScript compilers the type fixtures must pass on: the one the project pins and the latest. */
export function typescriptCompilers(
  consumerDir: string,
): Record<'pinned' | 'latest', { version: string; tsc: string }> {
  const at = (root: string) => ({
    version: JSON.parse(readFileSync(join(root, 'typescript/package.json'), 'utf8')).version as string,
    tsc: join(root, 'typescript/bin/tsc'),
  });
  return { pinned: at(repoModules), latest: at(join(consumerDir, 'node_modules')) };
}

/** The check file named for an `exports` entry: `.` → `index`, `./adapters/opossum` → `adapters-opossum`. */
export function checkName(entry: string): string {
  return entry === '.' ? 'index' : entry.replace(/^\.\//, '').replaceAll('/', '-');
}

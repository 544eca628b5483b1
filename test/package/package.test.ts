/**
 * The packed-tarball harness: what a user gets from `npm install faultline`.
 *
 * `beforeAll` packs the repository once (`npm pack`, building first if `dist/` is stale),
 * creates a consumer project under the OS temp directory (outside the repo, so nothing
 * resolves through the repo's own `node_modules` or tsconfig `paths`), installs the tarball
 * and `typescript@latest` there (`--prefer-offline`, reusing the npm cache) and borrows
 * vitest and @types/node from the repo by symlink.
 *
 * To check an entry point, drop files named after its `exports` key
 * (`.` → `index`, `./adapters/opossum` → `adapters-opossum`):
 * - `consumers/<name>.mjs`: copied into the consumer project and run with `node`; it
 *   imports the entry as a user would (`import { … } from 'faultline/…'`) and must exit 0
 *   (use `node:assert`). Optional peer dependencies are not installed there; the
 *   repository's `node_modules` is in `FAULTLINE_REPO_MODULES` for consumers that need one. Files ending `.test.mjs` run under the consumer's `vitest run`
 *   instead (for entries such as `faultline/vitest`).
 * - `types/<name>.ts`: compiled together by `tsc` against the tarball's types with
 *   `strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess` and
 *   `skipLibCheck: false`, on the pinned TypeScript and on the latest.
 * Every entry in package.json `exports` (but `./package.json`) must have both, or this fails.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../support/child-env.js';
import {
  type ConsumerProject,
  checkName,
  createConsumerProject,
  repoRoot,
  typescriptCompilers,
} from './consumer-project.js';

const exec = promisify(execFile);
const here = join(repoRoot, 'test/package');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const entries = Object.keys(manifest.exports).filter((e) => e !== './package.json');
const consumers = readdirSync(join(here, 'consumers')).filter((f) => f.endsWith('.mjs'));
const typeFixtures = readdirSync(join(here, 'types')).filter((f) => f.endsWith('.ts'));

/** A Node consumer with every strictness flag a user may turn on, checking our .d.ts too. */
const STRICTEST = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    // msw's types (re-exported for `sim.http` handlers) need the DOM lib, as msw documents.
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
  },
  include: ['types/*.ts'],
};

let project: ConsumerProject;

beforeAll(async () => {
  project = await createConsumerProject();
  for (const file of consumers) copyFileSync(join(here, 'consumers', file), join(project.dir, file));
  mkdirSync(join(project.dir, 'types'));
  for (const file of typeFixtures) copyFileSync(join(here, 'types', file), join(project.dir, 'types', file));
  writeFileSync(join(project.dir, 'tsconfig.json'), JSON.stringify(STRICTEST, null, 2));
}, 180_000);

// Removing the consumer project (its node_modules) can take over 10 s on a loaded machine.
afterAll(() => project?.remove(), 120_000);

/** Runs `file` in the consumer project; rejects with its output when it exits non-zero. */
async function runConsumer(file: string): Promise<string> {
  const args = file.endsWith('.test.mjs')
    ? [join(project.dir, 'node_modules/vitest/vitest.mjs'), 'run', file]
    : [file];
  try {
    // The optional peers (cockatiel, opossum) are not installed in the consumer project: a
    // consumer that exercises one loads the repository's copy through this path.
    const env = childEnv({ FAULTLINE_REPO_MODULES: join(repoRoot, 'node_modules') });
    const { stdout } = await exec(process.execPath, args, { cwd: project.dir, env });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} failed in the consumer project:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

describe('the packed tarball', () => {
  it('every exports entry has a consumer check and a type fixture', () => {
    for (const entry of entries) {
      const name = checkName(entry);
      expect(consumers, `consumers/${name}.mjs for ${entry}`).toSatisfy((list: string[]) =>
        list.some((f) => f === `${name}.mjs` || f === `${name}.test.mjs`),
      );
      expect(typeFixtures, `types/${name}.ts for ${entry}`).toContain(`${name}.ts`);
    }
  });

  it('ships every file its exports map names, with types', () => {
    for (const entry of entries) {
      const target = manifest.exports[entry];
      expect(target.types, `${entry} has a types condition`).toBeTypeOf('string');
      for (const path of [target.types, target.default ?? target.import])
        expect(project.files, `${entry} → ${path}`).toContain(path.replace(/^\.\//, ''));
    }
    expect(project.files).toContain('LICENSE');
  });

  it('builds in prepack, and runs no script on install', () => {
    expect(manifest.scripts.prepack).toMatch(/\bnpm run build\b/);
    for (const hook of ['prepare', 'preinstall', 'install', 'postinstall'])
      expect(manifest.scripts[hook], hook).toBeUndefined();
  });

  it.each(consumers)(
    'consumers/%s runs against the installed package',
    async (file) => {
      await runConsumer(file);
    },
    60_000,
  );

  it.each(['pinned', 'latest'] as const)(
    'type fixtures compile on the %s TypeScript',
    async (which) => {
      const compiler = typescriptCompilers(project.dir)[which];
      try {
        await exec(process.execPath, [compiler.tsc, '-p', 'tsconfig.json'], { cwd: project.dir });
      } catch (error) {
        const e = error as { stdout?: string; message: string };
        throw new Error(`tsc ${compiler.version} rejected the type fixtures:\n${e.stdout ?? e.message}`);
      }
    },
    120_000,
  );
});

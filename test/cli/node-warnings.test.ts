import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline, tempDir } from './helpers.js';

/*
 * faultline prints nothing of its own to stderr on a successful run. Node 25+
 * warns (ExperimentalWarning) the first time anything reads
 * `globalThis.localStorage` without --localstorage-file, and msw reads it when
 * it is loaded: faultline loads msw only for routes given msw handlers. The
 * first test sees the real warning on Node 25+; the second catches the read
 * itself on any Node (Node 20 in CI too).
 */

const httpAgent = join(process.cwd(), 'test/cli/fixtures/http-agent.ts');
const unlucky = join(process.cwd(), 'test/cli/fixtures/unlucky.mjs');
const trap = pathToFileURL(join(process.cwd(), 'test/cli/fixtures/local-storage-trap.mjs')).href;
const cwd = tempDir();
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('faultline prints no Node warnings', () => {
  it('run and explore (worker threads) of an agent using fetch: stderr is empty', async () => {
    const run = await faultline(['run', httpAgent], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ok · seed 3');
    expect(run.stderr).toBe('');
    const explore = await faultline(['explore', unlucky, '--runs', '4', '--workers', '1', '--continue'], {
      cwd,
    });
    expect(explore.stdout).toMatch(/explored 4 of 4 seeds/);
    expect(explore.stderr).not.toContain('Warning');
  });

  it('never reads globalThis.localStorage (Node 25+ warns on the first read)', async () => {
    const run = await faultline(['run', httpAgent], { cwd, env: { NODE_OPTIONS: `--import=${trap}` } });
    expect(run.stdout).toContain('ok · seed 3');
    expect(run.stderr).toBe('');
  });
});

// Source maps in the installed package resolve: every source a map names is a shipped file
// (or embedded), and a stack trace under --enable-source-maps names files that exist.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = dirname(createRequire(import.meta.url).resolve('faultline/package.json'));
const maps = readdirSync(join(root, 'dist'), { recursive: true }).filter((f) => f.endsWith('.map'));
assert.ok(maps.length > 10, `source maps shipped (${maps.length})`);
for (const file of maps) {
  const path = join(root, 'dist', file);
  const map = JSON.parse(readFileSync(path, 'utf8'));
  map.sources.forEach((source, i) => {
    const target = resolve(dirname(path), map.sourceRoot ?? '', source);
    assert.ok(existsSync(target) || typeof map.sourcesContent?.[i] === 'string', `${file} → ${source}`);
  });
}

// A ConfigError thrown inside the library: its mapped frames point at files a user can open.
const stack = execFileSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--input-type=module',
    '-e',
    "import { duration } from 'faultline'; try { duration('soon') } catch (e) { console.log(e.stack) }",
  ],
  { encoding: 'utf8' },
);
const frames = [...stack.matchAll(/\(?((?:file:\/\/)?\/[^\s()]+?\.ts):\d+:\d+\)?/g)].map((m) =>
  m[1].replace(/^file:\/\//, ''),
);
assert.ok(frames.length > 0, `the stack names TypeScript sources:\n${stack}`);
for (const file of frames) assert.ok(existsSync(file), `${file} exists (stack:\n${stack})`);

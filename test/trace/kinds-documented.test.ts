import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * docs/trace.md is the index of the trace's contract: every kind emitted in src/
 * has a row there, and every row is declared in a `TraceEventMap` (the map itself
 * or a module's declaration merging).
 */

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const code = sources('src').map((path) => readFileSync(path, 'utf8'));
// Kinds have a dot (listener events such as `emit('success')` do not); comments are skipped.
const emitted = new Set(
  code.flatMap((text) =>
    [...text.matchAll(/^(?!\s*(?:\*|\/\/)).*\.emit\(\s*'([a-z0-9-]+\.[a-z0-9.-]+)'/gm)].map((m) => m[1]!),
  ),
);
const declared = new Set(
  code.flatMap((text) => [...text.matchAll(/^\s*'([a-z0-9-]+\.[a-z0-9.-]+)'\??:/gm)].map((m) => m[1]!)),
);
const documented = new Set(
  [...readFileSync('docs/trace.md', 'utf8').matchAll(/^\| `([a-z0-9.-]+)` \|/gm)].map((m) => m[1]!),
);

describe('trace kinds', () => {
  it('documents every kind emitted in src/', () => {
    expect(emitted.size).toBeGreaterThan(30);
    expect([...emitted].filter((k) => !documented.has(k))).toEqual([]);
  });

  it('declares every documented kind in a TraceEventMap', () => {
    expect([...documented].filter((k) => !declared.has(k))).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './consumer-project.js';

/**
 * Runtime dependencies declared for work in progress, before `src/` imports them. Each
 * entry names who imports it; remove the entry once it does (the test below then holds
 * the dependency to the imports like every other).
 */
const PENDING: Readonly<Record<string, string>> = {
  'fast-check': 'faultline/property (arbitraries, checkResilience)',
  commander: 'the faultline CLI',
  tinypool: 'the faultline CLI (explore runs seeds in workers)',
  tsx: 'the faultline CLI (loads TypeScript scenarios)',
};

/** The package a bare specifier names: `msw/node` → `msw`, `@scope/pkg/x` → `@scope/pkg`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function importedPackages(): Map<string, string> {
  const found = new Map<string, string>();
  const dir = join(repoRoot, 'src');
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^'.][^']*)'/g)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      found.set(packageOf(spec), file);
    }
  }
  return found;
}

describe('runtime dependencies', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const declared = Object.keys(manifest.dependencies ?? {});
  // Peer dependencies (vitest, for faultline/vitest) are the user's; test/matchers/entries.test.ts
  // checks that no other entry loads them.
  const peers = Object.keys(manifest.peerDependencies ?? {});
  const imported = importedPackages();

  it('every package src/ imports is a runtime (or peer) dependency', () => {
    for (const [pkg, file] of imported) {
      if (pkg === manifest.name) continue; // a doc example importing faultline itself
      expect([...declared, ...peers], `src/${file} imports ${pkg}`).toContain(pkg);
    }
  });

  it('every runtime dependency is imported by src/ (or listed as pending work)', () => {
    const unused = declared.filter((pkg) => !imported.has(pkg) && !(pkg in PENDING));
    expect(unused).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * vitest is an optional peer dependency: only `faultline/vitest` may load it at
 * runtime. Follows the runtime imports (not `import type`) from each entry.
 */
function runtimeImports(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.set(spec, file);
    }
  };
  visit(resolve(entry));
  return { files, packages };
}

describe('entry points and the vitest peer dependency', () => {
  it('faultline and faultline/matchers never load vitest at runtime', () => {
    for (const entry of ['src/index.ts', 'src/matchers/matchers.ts']) {
      const { files, packages } = runtimeImports(entry);
      expect(files.size).toBeGreaterThan(entry === 'src/index.ts' ? 50 : 15);
      expect([...packages.keys()].filter((p) => p === 'vitest' || p.startsWith('vitest/'))).toEqual([]);
    }
  });

  it('faultline/vitest loads vitest (to register the matchers on its expect)', () => {
    const { packages } = runtimeImports('src/matchers/vitest.ts');
    expect(packages.get('vitest')).toMatch(/src\/matchers\/(vitest|sim-test)\.ts$/);
  });
});

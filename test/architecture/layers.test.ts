import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layer order of src/ (docs/architecture.md): a file may import its own
 * layer and the layers before it in this list, never one after it. `index.ts`
 * (the package entry) sits above them all.
 */
const LAYERS = [
  'errors',
  'time',
  'options',
  'random',
  'trace',
  'faults',
  'resilience',
  'simulators',
  'adapters',
  'properties',
  'matchers',
  'report',
  'cli',
] as const;

/**
 * The documented exceptions (docs/architecture.md, "Exceptions"), each an
 * exact `importer -> imported` pair of paths under src/. A new upward import
 * is not in this list and fails the test.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'errors/non-determinism-error.ts -> trace/event.ts':
    'type only: the error carries the first divergent trace events of each run',
  'errors/simulation-deadlock-error.ts -> trace/event.ts':
    'type only: the error carries the last trace events of each pending task',
};

const SRC = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file's imports and re-exports (static, dynamic, side-effect). */
function importsOf(code: string): string[] {
  const stripped = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of stripped.matchAll(pattern)) specs.push(m[1]!);
  return specs.filter((s) => s.startsWith('.'));
}

interface Edge {
  readonly from: string;
  readonly to: string;
}

function edges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8')).map((spec) => ({
      from: relative(SRC, file),
      to: relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'),
    })),
  );
}

const layerOf = (path: string): string => path.split('/')[0]!;
const rank = (path: string): number => {
  const layer = layerOf(path);
  if (layer === 'index.ts') return LAYERS.length;
  return LAYERS.indexOf(layer as (typeof LAYERS)[number]);
};

describe('src/ layers', () => {
  const all = edges();

  it('reads the imports of the source tree (the parser finds real edges)', () => {
    expect(all.length).toBeGreaterThan(500);
    expect(all).toContainEqual({ from: 'random/dist.ts', to: 'time/duration.ts' });
    expect(
      importsOf("import {\n  a,\n  type B,\n} from './x.js';\nexport * from '../y.js';\nimport './z.js';"),
    ).toEqual(['./x.js', '../y.js', './z.js']);
  });

  it('puts every folder of src/ in a layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([...LAYERS].sort());
  });

  it('imports only point down the layer list, except for the documented exceptions', () => {
    const upward = all
      .filter((e) => rank(e.to) > rank(e.from))
      .map((e) => `${e.from} -> ${e.to}`)
      .filter((edge) => !(edge in EXCEPTIONS));
    expect(upward).toEqual([]);
  });

  it('every documented exception still exists and is type-only', () => {
    for (const edge of Object.keys(EXCEPTIONS)) {
      const [from, to] = edge.split(' -> ') as [string, string];
      expect(all.map((e) => `${e.from} -> ${e.to}`)).toContain(edge);
      const code = readFileSync(join(SRC, from), 'utf8');
      const target = to.replace(/\.ts$/, '.js').split('/').pop()!;
      const lines = code.split('\n').filter((line) => line.includes(target) && /\bfrom\b/.test(line));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(/^import type /);
    }
  });

  it('resilience/ and faults/ never import simulators/', () => {
    const bad = all.filter(
      (e) => ['resilience', 'faults'].includes(layerOf(e.from)) && layerOf(e.to) === 'simulators',
    );
    expect(bad).toEqual([]);
  });

  it('inside simulators/, the parts import down: http, services, llm, agents, then kernel/ and sim.ts', () => {
    // kernel/ and sim.ts compose the others and each other (simulate builds the Sim; the Sim holds the clock)
    const parts = ['http', 'services', 'llm', 'agents', 'kernel', 'sim.ts'];
    const partRank = (path: string) => Math.min(parts.indexOf(path.split('/')[1]!), parts.indexOf('kernel'));
    const inside = all.filter((e) => layerOf(e.from) === 'simulators' && layerOf(e.to) === 'simulators');
    expect(inside.length).toBeGreaterThan(50);
    const bad = inside.filter((e) => partRank(e.to) > partRank(e.from)).map((e) => `${e.from} -> ${e.to}`);
    expect(bad).toEqual([]);
  });

  it('LLM wire formats do not import fault types (only the service side of llm/ reads faults/)', () => {
    const wireFormat = ['anthropic', 'completion', 'openai', 'providers', 'quota', 'request', 'wire-format'];
    const service = [
      'generate',
      'llm-endpoint',
      'llm-options',
      'llm-server',
      'llm-service',
      'provider-errors',
      'serve',
      'served',
      'stream',
      'stream-delivery',
      'stream-schedule',
    ];
    const llm = readdirSync(join(SRC, 'simulators/llm')).map((f) => f.replace(/\.ts$/, ''));
    // every file is on one side, so a new one has to be placed
    expect(llm.sort()).toEqual([...wireFormat, ...service].sort());
    const bad = all.filter(
      (e) =>
        wireFormat.some((f) => e.from === `simulators/llm/${f}.ts`) &&
        (layerOf(e.to) === 'faults' || service.some((f) => e.to === `simulators/llm/${f}.ts`)),
    );
    expect(bad).toEqual([]);
  });
});

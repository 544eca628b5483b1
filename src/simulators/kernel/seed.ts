import { relative } from 'node:path';
import type { Seed } from '../../random/random.js';

/*
 * Where a run's seed comes from (option, else FAULTLINE_SEED, else a fixed
 * default) and the one command that replays it.
 */

export const DEFAULT_SEED = 1;

export function resolveSeed(option: Seed | undefined): Seed {
  if (option !== undefined) return option;
  const env = process.env.FAULTLINE_SEED;
  if (env !== undefined && env.trim() !== '') {
    const text = env.trim();
    return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
  }
  return DEFAULT_SEED;
}

interface VitestState {
  currentTestName?: string;
  testPath?: string;
}

function vitestState(): VitestState | undefined {
  try {
    const g = globalThis as Record<symbol, any>;
    const expect = g[Symbol.for('expect-global')];
    const map = g[Symbol.for('matchers-object')];
    if (!expect || !map || typeof map.get !== 'function') return undefined;
    return map.get(expect) as VitestState | undefined;
  } catch {
    return undefined;
  }
}

function shellQuote(text: string): string {
  return /^[\w./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The command that reruns this exact run. Under vitest it names the test file
 * and test; otherwise it reruns the current script.
 */
export function rerunCommand(seed: Seed): string {
  const prefix = `FAULTLINE_SEED=${shellQuote(String(seed))}`;
  const state = vitestState();
  if (state?.testPath) {
    const file = relative(process.cwd(), state.testPath) || state.testPath;
    const parts = (state.currentTestName ?? '').split(' > ');
    const name = parts[parts.length - 1] ?? '';
    const filter = name ? ` -t ${shellQuote(escapeRegExp(name))}` : '';
    return `${prefix} npx vitest run ${shellQuote(file)}${filter}`;
  }
  const script = process.argv[1]
    ? relative(process.cwd(), process.argv[1]) || process.argv[1]
    : '<your script>';
  const args = process.argv.slice(2).map(shellQuote).join(' ');
  const runner = /\.[cm]?tsx?$/.test(script) ? 'npx tsx' : 'node';
  return `${prefix} ${runner} ${shellQuote(script)}${args ? ` ${args}` : ''}`;
}

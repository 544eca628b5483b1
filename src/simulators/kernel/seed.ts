import { relative } from 'node:path';
import type { Seed } from '../../random/random.js';
import type { CallingTest } from './vitest-test.js';

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

function shellQuote(text: string): string {
  return /^[\w./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The command that reruns this exact run. Under vitest it names the test file
 * and the test that called `simulate` (see `callingTest`); otherwise it reruns
 * the current script.
 */
export function rerunCommand(seed: Seed, test?: CallingTest): string {
  const prefix = `FAULTLINE_SEED=${shellQuote(String(seed))}`;
  if (test) {
    const file = relative(process.cwd(), test.file) || test.file;
    const names = test.names.map(escapeRegExp);
    const pattern = names.length > 1 ? `^.*(${names.join('|')})$` : (names[0] ?? '');
    const filter = pattern ? ` -t ${shellQuote(pattern)}` : '';
    return `${prefix} npx vitest run ${shellQuote(file)}${filter}`;
  }
  const script = process.argv[1]
    ? relative(process.cwd(), process.argv[1]) || process.argv[1]
    : '<your script>';
  const args = process.argv.slice(2).map(shellQuote).join(' ');
  const runner = /\.[cm]?tsx?$/.test(script) ? 'npx tsx' : 'node';
  return `${prefix} ${runner} ${shellQuote(script)}${args ? ` ${args}` : ''}`;
}

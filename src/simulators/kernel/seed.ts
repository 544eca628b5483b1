import { relative } from 'node:path';
import type { Seed } from '../../random/random.js';
import type { CallingTest } from './vitest-test.js';

/*
 * Where a run's seed comes from and the one command that replays it.
 *
 * Rule: `FAULTLINE_SEED`, when set, overrides the `seed` option; else the option;
 * else a fixed default. So the printed command (`FAULTLINE_SEED=<seed> …`) replays
 * the run whatever the seed's origin, even `seed: Math.floor(Math.random() * 1e9)`.
 * A seed is a number or a string; a string that is a number's canonical text
 * (`'42'`, `'0.5'`) is that number, so the env's text and the option agree.
 */

export const DEFAULT_SEED = 1;

/** The seed a run uses (see the rule above). */
export function resolveSeed(option: Seed | undefined): Seed {
  const env = process.env.FAULTLINE_SEED?.trim();
  if (env) return canonicalSeed(env);
  if (option !== undefined) return canonicalSeed(option);
  return DEFAULT_SEED;
}

/** `'42'` → `42`; any other seed as it is. */
export function canonicalSeed(seed: Seed): Seed {
  if (typeof seed !== 'string') return seed;
  const n = Number(seed);
  return seed !== '' && Number.isFinite(n) && String(n) === seed ? n : seed;
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

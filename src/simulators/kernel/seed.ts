import { relative } from 'node:path';
import { ConfigError } from '../../errors/config-error.js';
import type { Seed } from '../../random/random.js';
import type { CallingTest } from './vitest-test.js';

/*
 * Where a run's seed comes from and the one command that replays it.
 *
 * Rule: `FAULTLINE_SEED`, when set, overrides the `seed` option; else the option;
 * else a fixed default. So the printed command (`FAULTLINE_SEED=<seed> …`) replays
 * the run whatever the seed's origin, even `seed: Math.floor(Math.random() * 1e9)`.
 * With `FAULTLINE_RUN=<k>` as well, `FAULTLINE_SEED` applies only to the k-th
 * seeded call of the test (see `run-number.ts`); every other run keeps its own
 * seed. That is how one run of a test that calls `simulate` several times replays
 * exactly: its command names it (`FAULTLINE_RUN` is printed from the second run
 * on, so a test's first run prints the same command as before).
 * A seed is a number or a string; a string that is a number's canonical text
 * (`'42'`, `'0.5'`) is that number, so the env's text and the option agree.
 */

export const DEFAULT_SEED = 1;

/** The seed a run uses, and the `FAULTLINE_RUN` its replay command must set (if any). */
export interface RunSeed {
  readonly seed: Seed;
  readonly replayRun: number | undefined;
}

/**
 * The seed of the `run`-th seeded call of its test (see the rule above); `run`
 * undefined: a call that is not numbered, which the variable reaches only
 * without `FAULTLINE_RUN`. Throws `ConfigError` for a bad `FAULTLINE_RUN`.
 */
export function seedForRun(option: Seed | undefined, run: number | undefined): RunSeed {
  const env = process.env.FAULTLINE_SEED?.trim() || undefined;
  const selected = selectedRun(env);
  const fromEnv = env !== undefined && (selected === undefined || selected === run);
  const seed = fromEnv ? canonicalSeed(env) : option !== undefined ? canonicalSeed(option) : DEFAULT_SEED;
  // With FAULTLINE_SEED alone every run took it: that command already replays them all as they ran.
  const everyRunFromEnv = env !== undefined && selected === undefined;
  const replayRun = run !== undefined && run >= 2 && !everyRunFromEnv ? run : undefined;
  return { seed, replayRun };
}

/** The seed a run uses (see the rule above), for calls that are not numbered. */
export function resolveSeed(option: Seed | undefined): Seed {
  return seedForRun(option, undefined).seed;
}

/** `FAULTLINE_RUN`, checked: undefined when unset or empty. */
function selectedRun(seedFromEnv: string | undefined): number | undefined {
  const raw = process.env.FAULTLINE_RUN;
  const text = raw?.trim();
  if (!text) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(
      'FAULTLINE_RUN',
      raw,
      'a positive integer k (1, 2, …): FAULTLINE_SEED then applies to the k-th simulate call of each test only',
    );
  }
  if (seedFromEnv === undefined) {
    throw new ConfigError(
      'FAULTLINE_RUN',
      raw,
      'to be set together with FAULTLINE_SEED (it selects the run FAULTLINE_SEED applies to; alone it selects nothing)',
    );
  }
  return n;
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
 * the current script. `replayRun` (from `seedForRun`) adds `FAULTLINE_RUN=<k>`.
 */
export function rerunCommand(seed: Seed, test?: CallingTest, replayRun?: number): string {
  const run = replayRun !== undefined && replayRun >= 2 ? ` FAULTLINE_RUN=${replayRun}` : '';
  const prefix = `FAULTLINE_SEED=${shellQuote(String(seed))}${run}`;
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

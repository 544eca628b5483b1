/*
 * The `faultline` command never reads `FAULTLINE_SEED` or `FAULTLINE_RUN`:
 * every run it makes has the seed its options name (`--seed`, explore's
 * `--first-seed` and `--runs`, a failure file's seed), so the seeds it prints,
 * saves and replays are the seeds that ran. The variables replay runs of
 * tests and scripts (the commands `simulate` prints); one left exported in a
 * shell, or set by CI, would otherwise replace every seed the command picks.
 */

const NAMES = ['FAULTLINE_SEED', 'FAULTLINE_RUN'] as const;

/**
 * The one-line note a command prints on stderr when either variable is set
 * (undefined when neither is); `hint` says how to run the variable's seed instead.
 */
export function ignoredSeedEnvNote(
  hint?: (seed: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const set = NAMES.filter((name) => env[name]?.trim());
  if (set.length === 0) return undefined;
  const shown = set.map((name) => `${name}=${env[name]!.trim()}`).join(' ');
  const seed = env.FAULTLINE_SEED?.trim();
  const how = hint && seed ? `; ${hint(seed)}` : '';
  return `faultline: note: ${shown} ${set.length > 1 ? 'are' : 'is'} ignored: the faultline command runs the seeds it names (--seed, explore's --first-seed and --runs, a failure file's seed)${how}`;
}

/** Prints `ignoredSeedEnvNote(hint)` on stderr, if there is one. */
export function noteIgnoredSeedEnv(hint?: (seed: string) => string): void {
  const note = ignoredSeedEnvNote(hint);
  if (note) process.stderr.write(`${note}\n`);
}

/** `env` without the two variables (for a child process that must not inherit them). */
export function envWithoutSeed(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of NAMES) delete copy[name];
  return copy;
}

/** Runs `fn` with both variables unset in `process.env`, and sets them back after. */
export async function withoutSeedEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = NAMES.map((name) => [name, process.env[name]] as const);
  for (const name of NAMES) delete process.env[name];
  try {
    return await fn();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

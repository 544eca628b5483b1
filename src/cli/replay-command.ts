import { relative, resolve } from 'node:path';
/** `faultline replay <file> --seed <n>` (with the options that change the run). */
export function replayCommand(
  file: string,
  seed: number | string,
  options: { swarm?: boolean | undefined; until?: number | undefined } = {},
): string {
  let command = `faultline replay ${shellArg(file)} --seed ${shellArg(String(seed))}`;
  if (options.until !== undefined) command += ` --until ${options.until}ms`;
  if (options.swarm) command += ' --swarm';
  return command;
}

/** `text` as one shell word (quoted when it needs to be). */
export function shellArg(text: string): string {
  return /^[\w./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * How a scenario file is shown in commands: relative to the working directory (CI and a
 * laptop share the repository layout), or absolute when it lies outside it.
 */
export function shownPath(file: string): string {
  const absolute = resolve(file);
  const inside = relative(process.cwd(), absolute);
  return inside === '' || inside.startsWith('..') ? absolute : inside;
}

/** `faultline replay <file> --seed <n>` (with the options that change the run). */
export function replayCommand(
  file: string,
  seed: number | string,
  options: { swarm?: boolean | undefined; until?: number | undefined } = {},
): string {
  const quoted = /^[\w./:=@%+-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  let command = `faultline replay ${quoted} --seed ${seed}`;
  if (options.until !== undefined) command += ` --until ${options.until}ms`;
  if (options.swarm) command += ' --swarm';
  return command;
}

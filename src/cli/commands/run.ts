import { execute } from '../execute.js';
import { loadScenario } from '../load-scenario.js';
import { type FileOptions, print, type ShowOptions, showExecution, writeFiles } from '../output.js';
import { replayCommand } from '../replay-command.js';

export interface RunOptions extends ShowOptions, FileOptions {
  seed?: number;
  until?: number;
  swarm?: boolean;
  invariants: boolean;
}

/** `faultline run <file>`: one run; exit code 1 when it failed. */
export async function runCommand(file: string, options: RunOptions): Promise<number> {
  const scenario = await loadScenario(file);
  const run = await execute(scenario, {
    seed: options.seed,
    until: options.until,
    swarm: options.swarm,
    invariants: options.invariants,
  });
  const seed = run.result?.seed ?? run.seed ?? '?';
  print(`faultline run ${file} · scenario "${scenario.name}" · seed ${seed}`);
  showExecution(run, options);
  if (run.result) {
    for (const line of writeFiles(run.result.trace, options, scenario.name, run.invariants)) print(line);
  }
  print(`replay: ${replayCommand(file, seed, { swarm: options.swarm, until: options.until })}`);
  return run.failed ? 1 : 0;
}

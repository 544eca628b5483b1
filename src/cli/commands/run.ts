import type { Seed } from '../../random/random.js';
import { execute } from '../execute.js';
import { loadScenario } from '../load-scenario.js';
import { type FileOptions, print, type ShowOptions, showExecution, writeFiles } from '../output.js';
import { replayCommand, shellArg } from '../replay-command.js';
import { noteIgnoredSeedEnv } from '../seed-env.js';

export interface RunOptions extends ShowOptions, FileOptions {
  seed?: Seed;
  until?: number;
  swarm?: boolean;
  invariants: boolean;
}

/** `faultline run <file>`: one run; exit code 1 when it failed. */
export async function runCommand(file: string, options: RunOptions): Promise<number> {
  const scenario = await loadScenario(file);
  noteIgnoredSeedEnv((seed) => `to run seed ${seed}: faultline run ${shellArg(file)} --seed ${seed}`);
  const run = await execute(scenario, {
    file,
    seed: options.seed,
    until: options.until,
    swarm: options.swarm,
    invariants: options.invariants,
  });
  print(`faultline run ${file} · scenario "${scenario.name}" · seed ${run.seed}`);
  showExecution(run, options);
  if (run.result) {
    for (const line of writeFiles(run.result.trace, options, scenario.name, run.invariants)) print(line);
  }
  print(`replay: ${replayCommand(file, run.seed, { swarm: options.swarm, until: options.until })}`);
  return run.failed ? 1 : 0;
}

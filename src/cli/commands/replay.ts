import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readPropertyFailure } from '../../properties/failure-store.js';
import type { Seed } from '../../random/random.js';
import { canonicalLine } from '../../trace/canonical.js';
import { Trace } from '../../trace/trace.js';
import { CliError } from '../cli-error.js';
import { errorText, execute } from '../execute.js';
import { failureScenarioPath, readFailure, readFailureTrace } from '../failure-file.js';
import { loadScenario } from '../load-scenario.js';
import { type FileOptions, print, type ShowOptions, showExecution, writeFiles } from '../output.js';
import { shellArg } from '../replay-command.js';
import { envWithoutSeed, noteIgnoredSeedEnv } from '../seed-env.js';

export interface ReplayOptions extends ShowOptions, FileOptions {
  seed?: Seed;
  until?: number;
  swarm?: boolean;
  invariants: boolean;
}

/**
 * `faultline replay <failure.json>` or `faultline replay <file> --seed <n>`:
 * reruns, prints the timeline, and for a failure file checks that the trace
 * hash is the recorded one (and shows the first divergent event if not).
 * Exit code as `run`: 1 when the run failed.
 */
export async function replayCommand(target: string, options: ReplayOptions): Promise<number> {
  if (target.endsWith('.json')) {
    noteIgnoredSeedEnv();
    return replayFailure(target, options);
  }
  noteIgnoredSeedEnv((seed) => `to replay seed ${seed}: faultline replay ${shellArg(target)} --seed ${seed}`);
  if (options.seed === undefined) {
    throw new CliError(
      `replay of a scenario file needs --seed <n> (e.g. faultline replay ${target} --seed 42), or give a failure file from .faultline/failures/`,
    );
  }
  const scenario = await loadScenario(target);
  const run = await execute(scenario, { ...options, file: target });
  print(`faultline replay ${target} · scenario "${scenario.name}" · seed ${run.seed}`);
  showExecution(run, options);
  if (run.result)
    for (const line of writeFiles(run.result.trace, options, scenario.name, run.invariants)) print(line);
  return run.failed ? 1 : 0;
}

async function replayFailure(path: string, options: ReplayOptions): Promise<number> {
  if (options.seed !== undefined || options.swarm !== undefined || options.until !== undefined) {
    throw new CliError(
      '--seed, --until and --swarm come from the failure file; give them only with a scenario file',
    );
  }
  const raw = readJson(path);
  if (raw?.source === 'property') return replayProperty(path);
  const failure = readFailure(path);
  const file = failureScenarioPath(failure);
  const scenario = await loadScenario(file);
  const run = await execute(scenario, {
    file,
    seed: failure.seed,
    until: failure.until,
    swarm: failure.swarm,
    invariants: options.invariants,
    // The command the failure was recorded with: a kernel error then reads exactly as recorded.
    replay: typeof failure.replay === 'string' ? failure.replay : undefined,
  });
  print(`faultline replay ${path} · scenario "${scenario.name}" (${file}) · seed ${failure.seed}`);
  print(`recorded failure: ${failure.error.split('\n')[0]}`);
  showExecution(run, options);
  const trace = run.result?.trace;
  if (failure.traceHash === undefined) {
    const same =
      run.failed &&
      run.result === undefined &&
      errorText(run.kernelError).split('\n')[0] === failure.error.split('\n')[0];
    print(
      same
        ? 'reproduced: the same kernel failure as recorded'
        : 'DIVERGED: the recorded kernel failure did not recur',
    );
  } else if (trace && trace.hash === failure.traceHash) {
    print(`reproduced: trace hash ${trace.hash.slice(0, 16)} is the recorded one, event for event`);
  } else {
    print(
      `DIVERGED: this replay is not the recorded run (recorded trace hash ${failure.traceHash.slice(0, 16)}, now ${trace ? trace.hash.slice(0, 16) : 'none: the kernel stopped the run'}).`,
    );
    print('The scenario, faultline or a dependency changed since the failure was recorded.');
    const recorded = readFailureTrace(path, failure);
    if (recorded !== undefined && trace) print(firstDivergence(Trace.fromJSONL(recorded), trace));
  }
  if (trace) for (const line of writeFiles(trace, options, scenario.name, run.invariants)) print(line);
  return run.failed ? 1 : 0;
}

/** Where two traces first differ, with the event before for context. */
export function firstDivergence(recorded: Trace, now: Trace): string {
  const a = recorded.events;
  const b = now.events;
  const n = Math.max(a.length, b.length);
  let i = 0;
  while (i < n && a[i] && b[i] && canonicalLine(a[i]!) === canonicalLine(b[i]!)) i++;
  const show = (e: (typeof a)[number] | undefined) => (e ? canonicalLine(e) : '(run ended)');
  const lines = [`first divergent event: #${i} (of ${a.length} recorded, ${b.length} now)`];
  if (i > 0) lines.push(`  last common: ${show(a[i - 1])}`);
  lines.push(`  recorded:    ${show(a[i])}`, `  now:         ${show(b[i])}`);
  return lines.join('\n');
}

function readJson(path: string): { source?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // readFailure reports it
  }
}

/**
 * A failure that `checkResilience` saved: its scenario lives in a test, so the
 * replay is the test's own rerun command (which runs saved failures first and
 * checks them); its exit code is the replay's.
 */
function replayProperty(path: string): number {
  let failure: ReturnType<typeof readPropertyFailure>;
  try {
    failure = readPropertyFailure(path);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  print(`faultline replay ${path} · property "${failure.name}" · seed ${failure.seed}`);
  print(`recorded failure: ${failure.error.split('\n')[0]}`);
  print(`running: ${failure.replay}`);
  // The command sets the variables it needs; ones inherited from this shell would change its runs.
  const child = spawnSync(failure.replay, { shell: true, stdio: 'inherit', env: envWithoutSeed() });
  return child.status ?? 1;
}

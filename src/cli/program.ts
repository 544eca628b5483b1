import { Command, Option } from 'commander';
import { durationValue, integerValue, seedValue, shardValue } from './values.js';

/*
 * The `faultline` command line: `run`, `explore`, `replay`, `report`. Argument
 * parsing is commander's (unknown options and bad values are errors that name
 * the option); each action resolves to the process exit code. Commands are
 * imported when run, so `--help` and argument errors answer at once. Every
 * run has the seed the command names, never `FAULTLINE_SEED` (see seed-env.ts).
 */

export type Exit = (code: number) => void;

function showOptions(command: Command): Command {
  return command
    .option('--all', 'show every event in the timeline, not only the notable ones')
    .option('--request <id>', 'show only the events of one request (its correlation id)')
    .option('--limit <n>', 'show at most n timeline lines', integerValue(1), 60);
}

function fileOptions(command: Command): Command {
  return command
    .option('--trace <file>', 'write the trace as JSON Lines')
    .option('--report <file>', 'write the HTML report')
    .option('--chrome-trace <file>', 'write a Chrome trace-event JSON (opens in Perfetto)');
}

/** Builds the program; `exit` receives each command's exit code. */
export function createProgram(version: string, exit: Exit): Command {
  const program = new Command('faultline')
    .description('Run, explore and replay faultline scenarios; render their traces.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);

  const action =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      exit(await fn(...args));

  showOptions(
    fileOptions(
      program
        .command('run')
        .description('run a scenario file once and print its timeline and summary (exit code 1 on failure)')
        .argument('<file>', 'scenario file (.ts or .js) whose default export is scenario(...)')
        .option(
          '--seed <n>',
          "seed, a number or a text (default: the scenario's seed option, else 1; FAULTLINE_SEED is ignored)",
          seedValue,
        )
        .option('--until <duration>', 'run until this virtual time, e.g. 10m', durationValue)
        .option('--swarm', 'swarm testing: every service also gets faults.swarm()')
        .option('--no-invariants', 'do not judge the trace with the invariant catalog (invariants.all())'),
    ),
  ).action(
    action(async (file: string, options) => (await import('./commands/run.js')).runCommand(file, options)),
  );

  program
    .command('explore')
    .description(
      'run many seeds in worker threads; print and save (.faultline/failures/) each failing seed with its replay command; exit code 1 if any failed',
    )
    .argument('<file>', 'scenario file (.ts or .js) whose default export is scenario(...)')
    .option('--runs <n>', 'number of seeds (before sharding)', integerValue(1), 100)
    .option('--first-seed <n>', 'seeds are first-seed, first-seed + 1, …', seedValue, 1)
    .option('--workers <k>', 'worker threads (default: the number of CPUs)', integerValue(1))
    .option(
      '--shard <i/n>',
      "run only this shard's seeds (for a CI matrix): seed index mod n = i - 1",
      shardValue,
    )
    .option(
      '--time-budget <duration>',
      'stop starting new seeds after this much wall time, e.g. 10m',
      durationValue,
    )
    .option(
      '--swarm',
      'swarm testing: every service also gets faults.swarm(), so each seed has its own fault mix',
    )
    .option('--continue', 'keep exploring after a failure (default: stop at the first)')
    .option('--no-invariants', 'do not judge runs with the invariant catalog (invariants.all())')
    .option('--until <duration>', 'run each seed until this virtual time', durationValue)
    .option(
      '--batch <n>',
      'seeds per worker task (default: adaptive, about 75 ms of running each)',
      integerValue(1),
    )
    .action(
      action(async (file: string, options) =>
        (await import('./commands/explore.js')).exploreCommand(file, options),
      ),
    );

  showOptions(
    fileOptions(
      program
        .command('replay')
        .description(
          'rerun a failure file from .faultline/failures/ (checking its trace hash) or a scenario file with --seed',
        )
        .argument('<target>', 'failure.json, or a scenario file together with --seed')
        .option('--seed <n>', 'seed to replay, a number or a text (with a scenario file)', seedValue)
        .option('--until <duration>', 'virtual time the run went to (with a scenario file)', durationValue)
        .option('--swarm', 'the run used --swarm (with a scenario file)')
        .option('--no-invariants', 'do not judge the trace with the invariant catalog (invariants.all())'),
    ),
  ).action(
    action(async (target: string, options) =>
      (await import('./commands/replay.js')).replayCommand(target, options),
    ),
  );

  program
    .command('report')
    .description('render a saved JSONL trace as a self-contained HTML report')
    .argument('<trace>', 'trace file (.jsonl or .jsonl.gz)')
    .addOption(new Option('-o, --output <file>', 'HTML file to write (default: the trace name with .html)'))
    .option('--chrome-trace <file>', 'also write a Chrome trace-event JSON (opens in Perfetto)')
    .option('--title <text>', 'page title')
    .action(
      action(async (file: string, options) =>
        (await import('./commands/report.js')).reportCommand(file, options),
      ),
    );

  return program;
}

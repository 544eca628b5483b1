import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { explore } from '../explore.js';
import type { SeedVerdict } from '../explore-worker.js';
import { writeFailure } from '../failure-file.js';
import { loadScenario } from '../load-scenario.js';
import { firstLines, print } from '../output.js';
import { Progress } from '../progress.js';
import { replayCommand, shownPath } from '../replay-command.js';
import { noteIgnoredSeedEnv } from '../seed-env.js';
import type { Shard } from '../values.js';

export interface ExploreOptions {
  runs: number;
  workers?: number;
  shard?: Shard;
  timeBudget?: number;
  swarm?: boolean;
  continue?: boolean;
  firstSeed: number;
  until?: number;
  batch?: number;
  invariants: boolean;
}

/** The seeds of one shard: `firstSeed + k` for `k` in [0, runs) with `k mod n = i − 1`. */
export function shardSeeds(firstSeed: number, runs: number, shard: Shard | undefined): number[] {
  const seeds: number[] = [];
  const n = shard?.count ?? 1;
  const i = (shard?.index ?? 1) - 1;
  for (let k = i; k < runs; k += n) seeds.push(firstSeed + k);
  return seeds;
}

/**
 * `faultline explore <file>`: runs many seeds in worker threads with a
 * progress bar; prints each failing seed with its replay command and writes
 * its failure file to `.faultline/failures/`; exit code 1 when any seed failed.
 */
export async function exploreCommand(file: string, options: ExploreOptions): Promise<number> {
  const scenario = await loadScenario(file); // a bad file fails here, once, not in every worker
  const seeds = shardSeeds(options.firstSeed, options.runs, options.shard);
  const workers = options.workers ?? Math.max(1, Math.min(availableParallelism(), seeds.length));
  const shown = shownPath(file);
  const replay = (seed: number | string) =>
    replayCommand(shown, seed, { swarm: options.swarm, until: options.until });
  const shardText = options.shard ? `, shard ${options.shard.index}/${options.shard.count}` : '';
  noteIgnoredSeedEnv((seed) => `to run seed ${seed} alone: ${replay(seed)}`);
  print(
    `faultline explore ${shown} · scenario "${scenario.name}" · ${seeds.length} seeds from ${options.firstSeed}${shardText}${options.swarm ? ' · swarm' : ''} · ${workers} worker(s)`,
  );
  const progress = new Progress(seeds.length, process.stderr);
  const onVerdict = (v: SeedVerdict) => {
    if (!v.failed) return;
    const path = writeFailure(
      {
        file: shown,
        scenario: scenario.name,
        seed: v.seed,
        swarm: options.swarm ?? false,
        until: options.until,
        traceHash: v.hash,
        events: v.events,
        error: v.reason ?? 'failed',
        replay: replay(v.seed),
      },
      v.trace,
    );
    progress.above(
      `✗ seed ${v.seed}: ${firstLines(v.reason ?? 'failed', 3)}\n  replay: ${replay(v.seed)}\n  saved:  ${path}`,
    );
  };
  progress.start();
  let outcome: Awaited<ReturnType<typeof explore>>;
  try {
    outcome = await explore({
      file: resolve(file),
      replayFile: shown,
      seeds,
      workers,
      batch: options.batch,
      swarm: options.swarm,
      until: options.until,
      keepGoing: options.continue,
      invariants: options.invariants,
      timeBudgetMs: options.timeBudget,
      onVerdict,
      onBatch: (done, failed) => progress.update(done, failed),
    });
  } finally {
    progress.stop();
  }
  const { done, failures, seconds, runsPerSecond, stopReason, startupSeconds, steady } = outcome;
  print(
    `explored ${done} of ${seeds.length} seeds in ${seconds.toFixed(1)} s with ${workers} worker(s): ${runsPerSecond.toFixed(1)} runs/s; ${failures.length} failed${stopReason ? ` (${stopReason})` : ''}`,
  );
  if (startupSeconds !== undefined && steady !== undefined)
    print(
      `  start-up ${startupSeconds.toFixed(1)} s (worker threads, TypeScript loader, scenario import), then ${steady.runsPerSecond.toFixed(1)} runs/s`,
    );
  if (failures.length > 0) {
    const list = failures.map((f) => f.seed).sort((a, b) => a - b);
    print(`failing seeds: ${list.join(', ')}`);
    print(`replay the first: ${replay(list[0]!)}`);
  }
  return failures.length > 0 ? 1 : 0;
}

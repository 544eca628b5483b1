import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  FAILURES_DIR,
  failureSlug,
  readFailureJson,
  writeFailureRecord,
} from '../properties/failure-store.js';
import { CliError } from './cli-error.js';
import { shownPath } from './replay-command.js';

/*
 * Failure files of the `faultline` command, in the graveyard `.faultline/failures/`
 * that `checkResilience` uses too: one JSON file per failing seed (what to
 * replay and the trace hash it produced), and the trace itself next to it
 * (gzipped JSONL) so that a replay that diverges can say where.
 */

export const GRAVEYARD = FAILURES_DIR;

export interface ScenarioFailure {
  readonly faultline: 'failure';
  readonly version: 1;
  readonly source: 'cli';
  /** The scenario file, relative to the working directory it was explored from (absolute when outside it). */
  readonly file: string;
  readonly scenario: string;
  readonly seed: number | string;
  readonly swarm: boolean;
  /** `until` override in ms, when one was given. */
  readonly until?: number;
  /** The run's trace hash (absent when the kernel itself failed: deadlock, limit). */
  readonly traceHash?: string;
  readonly events?: number;
  readonly error: string;
  /** The trace file (gzipped canonical JSONL), relative to this file. */
  readonly trace?: string;
  /** The command that replays this failure. */
  readonly replay: string;
}

/** Writes a failure (and its trace) into `dir`; returns the JSON file's path. */
export function writeFailure(
  failure: Omit<ScenarioFailure, 'faultline' | 'version' | 'source' | 'trace'>,
  traceJsonl: string | undefined,
  dir: string = GRAVEYARD,
): string {
  const base = `${failureSlug(failure.scenario, 'scenario')}-seed-${failureSlug(String(failure.seed), 'scenario')}${failure.swarm ? '-swarm' : ''}`;
  let trace: string | undefined;
  if (traceJsonl !== undefined) {
    mkdirSync(dir, { recursive: true });
    trace = `${base}.trace.jsonl.gz`;
    writeFileSync(join(dir, trace), gzipSync(traceJsonl));
  }
  const record: ScenarioFailure = { faultline: 'failure', version: 1, source: 'cli', ...failure, trace };
  return writeFailureRecord(dir, base, record);
}

/** Reads a failure file written by `writeFailure`. */
export function readFailure(path: string): ScenarioFailure {
  let parsed: unknown;
  try {
    parsed = readFailureJson(path, 'failure file');
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const f = parsed as Partial<ScenarioFailure>;
  if (f?.faultline !== 'failure' || typeof f.file !== 'string' || f.seed === undefined) {
    throw new CliError(
      `${path} is not a faultline failure file (expected the JSON that "faultline explore" writes to ${GRAVEYARD}/)`,
    );
  }
  return f as ScenarioFailure;
}

/** The recorded trace of a failure, as JSONL text, if it was saved. */
export function readFailureTrace(path: string, failure: ScenarioFailure): string | undefined {
  if (!failure.trace) return undefined;
  try {
    return gunzipSync(readFileSync(join(dirname(path), failure.trace))).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The scenario file of a failure as commands show it (see `shownPath`). */
export function failureScenarioPath(failure: ScenarioFailure): string {
  return shownPath(failure.file);
}

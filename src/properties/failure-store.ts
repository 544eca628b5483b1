/*
 * The property failure graveyard: `.faultline/failures/<name>-seed-<n>.json`.
 * `checkResilience` writes one file per failing property (its shrunk inputs,
 * the simulation seed, fast-check's seed and path, the trace hash) and replays
 * the files of the same property first on the next run, deleting those that
 * pass again. The CLI (`faultline replay <file.json>`) reads them with
 * `readPropertyFailure`.
 *
 * File format (version 1), plain JSON:
 *
 * ```json
 * {
 *   "faultline": "failure", "version": 1, "source": "property",
 *   "name": "breaker keeps its invariants",          // checkResilience({ name }) or the vitest test name
 *   "testFile": "test/breaker.test.ts",              // when run under vitest
 *   "keys": ["config", "faults"],                    // the arbitraries' keys
 *   "inputs": { "config": { … }, "faults": [{ "$fault": "errors", "options": { "rate": 0.5 } }] },
 *   "seed": 123456,                                  // the simulation seed of the failing run
 *   "fastCheck": { "seed": 42, "path": "17:3:0" },   // fast-check's seed and shrink path
 *   "invariant": "breaker",                          // or "scenario" when the scenario threw
 *   "error": "…",                                    // the first line of the report
 *   "traceHash": "…", "events": 812,                 // absent when the kernel stopped the run
 *   "replay": "FAULTLINE_SEED=42 npx vitest run …"   // the rerun command
 * }
 * ```
 *
 * Generated faults are saved as `{ "$fault": kind, "options": … }` and revived
 * as `faults[kind](options)` (see `reviveFaults`).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reviveFaults } from './arbitraries/fault-spec.js';

/** Where failures are kept, relative to the working directory. */
export const FAILURES_DIR = join('.faultline', 'failures');

/** One saved property failure (see the module header for the format). */
export interface PropertyFailure {
  readonly faultline: 'failure';
  readonly version: 1;
  readonly source: 'property';
  readonly name: string;
  readonly testFile?: string;
  readonly keys: readonly string[];
  /** The shrunk inputs, one per arbitrary; faults revived by `readPropertyFailure`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly fastCheck: { readonly seed: number; readonly path?: string };
  readonly invariant: string;
  readonly error: string;
  readonly traceHash?: string;
  readonly events?: number;
  readonly replay: string;
}

/** A file-name part: lower-case words joined by `-`, at most `max` characters, else `fallback`. */
export function failureSlug(text: string, fallback: string, max = Number.POSITIVE_INFINITY): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, max) || fallback
  );
}

/** Writes one failure record as `<dir>/<base>.json` (dir created if needed); returns the path. */
export function writeFailureRecord(dir: string, base: string, record: object): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${base}.json`);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** Parses a failure file's JSON; throws `cannot read <what> <path>: …` when it is not readable JSON. */
export function readFailureJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/**
 * Writes `failure` into `dir` (created if needed); returns the file's path.
 *
 * @example
 * ```ts
 * const path = writePropertyFailure(failure); // .faultline/failures/breaker-seed-123.json
 * ```
 */
export function writePropertyFailure(
  failure: Omit<PropertyFailure, 'faultline' | 'version' | 'source'>,
  dir: string = FAILURES_DIR,
): string {
  const record: PropertyFailure = { faultline: 'failure', version: 1, source: 'property', ...failure };
  return writeFailureRecord(dir, `${failureSlug(failure.name, 'property', 60)}-seed-${failure.seed}`, record);
}

/**
 * Reads one property failure file; generated faults in `inputs` come back as
 * `faults.*` values. Throws with the path when the file is not one.
 *
 * @example
 * ```ts
 * const failure = readPropertyFailure('.faultline/failures/breaker-seed-123.json');
 * await simulate({ seed: failure.seed }, (sim) => scenario(sim, failure.inputs));
 * ```
 */
export function readPropertyFailure(path: string): PropertyFailure {
  const f = readFailureJson(path, 'property failure') as Partial<PropertyFailure>;
  if (
    f?.faultline !== 'failure' ||
    f.source !== 'property' ||
    typeof f.name !== 'string' ||
    typeof f.seed !== 'number' ||
    typeof f.inputs !== 'object'
  ) {
    throw new Error(`${path} is not a property failure file (faultline: "failure", source: "property")`);
  }
  return { ...(f as PropertyFailure), inputs: reviveFaults(f.inputs) as Record<string, unknown> };
}

/** Every property failure saved in `dir` for the property `name`, oldest file name first. */
export function savedFailures(
  name: string,
  dir: string = FAILURES_DIR,
): { path: string; failure: PropertyFailure }[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const out: { path: string; failure: PropertyFailure }[] = [];
  for (const file of files.sort()) {
    const path = join(dir, file);
    try {
      const failure = readPropertyFailure(path);
      if (failure.name === name) out.push({ path, failure });
    } catch {
      // another kind of file (a CLI failure, a trace): not ours
    }
  }
  return out;
}

/** Deletes a saved failure that passes again. */
export function forgetFailure(path: string): void {
  rmSync(path, { force: true });
}

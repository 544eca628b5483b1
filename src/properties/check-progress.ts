import { realPerformanceNow } from '../simulators/kernel/real-globals.js';

/*
 * Progress of a long `checkResilience`: runs done of `numRuns`, then, once a run
 * failed, the shrink steps. Printed on stderr, a line every few seconds once the
 * check has taken that long (a quick check prints nothing), or handed to a
 * callback after every run. Real time is read only to pace the lines and to show
 * rates: it never reaches a run.
 */

/** Where a check stands, after each run (see `checkResilience({ progress })`). */
export interface CheckProgress {
  /** `'runs'` until a run fails, then `'shrinking'`. */
  readonly phase: 'runs' | 'shrinking';
  /** Runs made so far (the failing one included); at most `numRuns`. */
  readonly runs: number;
  readonly numRuns: number;
  /** The run that failed first, if one has. */
  readonly failedAt: number | undefined;
  /** Shrink candidates tried so far, and how many of them failed too (each a smaller counterexample). */
  readonly shrinkSteps: number;
  readonly shrinks: number;
  /** Real milliseconds since the check started. */
  readonly elapsedMs: number;
}

/** Real milliseconds between two printed lines (the first comes after as long). */
export const PRINT_EVERY_MS = 3000;

/** The printed line, e.g. `checkResilience "my breaker": 2,300/10,000 runs · 811 runs/s · ETA 10s`. */
export function progressLine(name: string, p: CheckProgress): string {
  const seconds = p.elapsedMs / 1000;
  const head = `checkResilience "${name}":`;
  if (p.phase === 'shrinking') {
    return `${head} run ${count(p.failedAt!)} failed; shrinking: ${count(p.shrinkSteps)} candidates tried, ${count(p.shrinks)} smaller counterexamples · ${seconds.toFixed(0)}s`;
  }
  const rate = p.runs / Math.max(seconds, 1e-9);
  const left = rate > 0 ? Math.ceil((p.numRuns - p.runs) / rate) : undefined;
  return `${head} ${count(p.runs)}/${count(p.numRuns)} runs · ${rate.toFixed(0)} runs/s · ETA ${left === undefined ? '?' : `${left}s`}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Counts a check's runs and reports them to a callback, or prints them (`'print'`), or neither. */
export class ProgressTracker {
  private runs = 0;
  private failedAt: number | undefined;
  private shrinkSteps = 0;
  private shrinks = 0;
  private readonly startedAt: number;
  private lastLine: number;
  private printed = false;
  /** The first error a progress callback threw; the check rejects with it. */
  callbackError: unknown;

  constructor(
    private readonly name: string,
    private readonly numRuns: number,
    private readonly report: ((progress: CheckProgress) => void) | 'print' | undefined,
    private readonly now: () => number = realPerformanceNow,
    private readonly write: (text: string) => void = (text) => process.stderr.write(text),
  ) {
    this.startedAt = now();
    this.lastLine = this.startedAt;
  }

  /** One run (or shrink candidate) is done; `failed` when it broke an invariant. */
  ran(failed: boolean): void {
    if (this.failedAt === undefined) {
      this.runs++;
      if (failed) this.failedAt = this.runs;
    } else {
      this.shrinkSteps++;
      if (failed) this.shrinks++;
    }
    const report = this.report;
    if (report === undefined) return;
    if (report === 'print') {
      const now = this.now();
      if (now - this.lastLine < PRINT_EVERY_MS) return;
      this.lastLine = now;
      this.printed = true;
      this.write(`${progressLine(this.name, this.snapshot(now))}\n`);
    } else if (this.callbackError === undefined) {
      try {
        report(this.snapshot(this.now()));
      } catch (error) {
        this.callbackError = error;
      }
    }
  }

  /** After the check: a closing line, if any line was printed. */
  end(): void {
    if (!this.printed) return;
    const p = this.snapshot(this.now());
    const seconds = (p.elapsedMs / 1000).toFixed(1);
    this.write(
      p.failedAt === undefined
        ? `checkResilience "${this.name}": ${count(p.runs)} runs passed in ${seconds}s\n`
        : `checkResilience "${this.name}": run ${count(p.failedAt)} failed; shrunk ${count(p.shrinks)} times in ${count(p.shrinkSteps)} candidates; ${seconds}s in all\n`,
    );
  }

  private snapshot(now: number): CheckProgress {
    return {
      phase: this.failedAt === undefined ? 'runs' : 'shrinking',
      runs: this.runs,
      numRuns: this.numRuns,
      failedAt: this.failedAt,
      shrinkSteps: this.shrinkSteps,
      shrinks: this.shrinks,
      elapsedMs: now - this.startedAt,
    };
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toChromeTrace } from '../report/chrome-trace.js';
import { type InvariantResult, renderHtmlReport } from '../report/html-report.js';
import { summarize } from '../report/summarize.js';
import { formatSummary } from '../report/summary-text.js';
import { formatTerminalTimeline } from '../report/terminal-timeline.js';
import { formatDuration } from '../time/duration.js';
import type { Trace } from '../trace/trace.js';
import type { Execution } from './execute.js';

/*
 * What `run` and `replay` print and write: the timeline, the summary tables,
 * the verdict, and the trace / HTML report / Chrome trace files on request.
 */

export interface ShowOptions {
  all?: boolean;
  request?: string;
  limit?: number;
}

export interface FileOptions {
  trace?: string;
  report?: string;
  chromeTrace?: string;
}

export function width(): number {
  return process.stdout.isTTY && process.stdout.columns ? Math.max(60, process.stdout.columns) : 80;
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Prints the timeline, the summary and the verdict of one execution. */
export function showExecution(run: Execution, show: ShowOptions): void {
  const result = run.result;
  if (result) {
    const heading = show.request
      ? `timeline of request ${show.request}`
      : show.all
        ? 'timeline'
        : 'timeline (notable events; --all for every event, --request <id> for one request)';
    print(`\n${heading}`);
    print(
      formatTerminalTimeline(result.trace.events, {
        width: width(),
        all: show.all,
        request: show.request,
        limit: show.limit,
      }),
    );
    const summary = formatSummary(summarize(result));
    if (summary) print(`\n${summary}`);
    if (run.invariants) {
      const verdicts = run.invariants.map(
        (r) => `${r.name} ${r.violations.length === 0 ? 'holds' : 'VIOLATED'}`,
      );
      print(wrap(`invariants: ${verdicts.join(', ')}`, width()));
    }
    print(
      `\n${run.failed ? 'FAILED' : 'ok'} · seed ${result.seed} · virtual ${formatDuration(result.stats.virtualTimeMs)} · ${result.trace.length} events · hash ${result.trace.hash.slice(0, 16)} · ${Math.round(result.stats.wallTimeMs)} ms wall`,
    );
  }
  if (run.failed) print(`failure: ${firstLines(run.reason ?? 'failed', 6)}`);
}

export function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.length <= n ? text : `${lines.slice(0, n).join('\n')}\n  …`;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Writes the files asked for; returns what was written, for the user. */
export function writeFiles(
  trace: Trace,
  files: FileOptions,
  title: string,
  invariants?: readonly InvariantResult[],
): string[] {
  const written: string[] = [];
  if (files.trace) {
    write(files.trace, trace.toJSONL());
    written.push(`trace: ${files.trace}`);
  }
  if (files.report) {
    write(files.report, renderHtmlReport(trace.events, { title, invariants }));
    written.push(`report: ${files.report}`);
  }
  if (files.chromeTrace) {
    write(files.chromeTrace, JSON.stringify(toChromeTrace(trace.events)));
    written.push(`chrome trace: ${files.chromeTrace} (open in https://ui.perfetto.dev)`);
  }
  return written;
}

/** Wraps at spaces to `columns`, continuation lines indented by two. */
export function wrap(text: string, columns: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > columns) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

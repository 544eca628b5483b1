import type { LatencyStats } from './percentile.js';
import type { RunSummary } from './summarize.js';

/*
 * `summarize` as fixed-width tables for a terminal (80 columns): services,
 * agents, workloads, breakers and retry policies, each a few columns wide.
 */

function ms(value: number): string {
  if (value >= 60_000) return `${(value / 60_000).toFixed(1)}m`;
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}s`;
  return `${Math.round(value)}ms`;
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;
}

function num(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

function topKinds(counts: Readonly<Record<string, number>>, n = 2): string {
  const list = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = list.slice(0, n).map(([k, v]) => `${k}×${v}`);
  if (list.length > n) shown.push('…');
  return shown.join(' ');
}

function table(header: string[], rows: string[][], widths: number[]): string[] {
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i]!;
        const text = c.length > w ? `${c.slice(0, w - 1)}…` : c;
        return i === 0 || i === cells.length - 1 ? text.padEnd(w) : text.padStart(w);
      })
      .join(' ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`);
}

const lat = (l: LatencyStats) => [ms(l.p50), ms(l.p95), ms(l.p99)];

/** The summary as text tables that fit in 80 columns. */
export function formatSummary(s: RunSummary): string {
  const out: string[] = [];
  const r = s.requests;
  if (r.started > 0) {
    out.push(
      `requests: ${r.started} started, ${r.succeeded} succeeded, ${r.failed} failed, ${r.rejected} rejected${r.pending ? `, ${r.pending} pending` : ''}`,
    );
  }
  const widths = [17, 6, 6, 7, 7, 7, 6, 15];
  if (s.services.length) {
    out.push('services (latency virtual)');
    out.push(
      ...table(
        ['name', 'calls', 'err%', 'p50', 'p95', 'p99', '/min', 'errors'],
        s.services.map((x) => [
          x.name,
          String(x.calls),
          pct(x.errorRate),
          ...lat(x.latency),
          num(x.throughputPerMinute),
          topKinds(x.errorsByKind),
        ]),
        widths,
      ),
    );
  }
  if (s.agents.length) {
    out.push('agents');
    out.push(
      ...table(
        ['name', 'runs', 'err%', 'p50', 'p95', 'p99', 'fallbk', 'errors'],
        s.agents.map((x) => [
          x.name,
          String(x.runs),
          pct(x.errorRate),
          ...lat(x.latency),
          String(x.fallbacks),
          topKinds(x.errorsByKind),
        ]),
        widths,
      ),
    );
  }
  if (s.workloads.length) {
    out.push('workloads');
    out.push(
      ...table(
        ['name', 'reqs', 'err%', 'p50', 'p95', 'p99', '/min', 'errors'],
        s.workloads.map((x) => [
          x.name,
          String(x.requests),
          pct(x.errorRate),
          ...lat(x.latency),
          num(x.throughputPerMinute),
          topKinds(x.errorsByKind),
        ]),
        widths,
      ),
    );
  }
  if (s.breakers.length) {
    out.push('breakers (time in state)');
    out.push(
      ...table(
        ['name', 'opened', 'reject', 'closed', 'open', 'half', 'admit', ''],
        s.breakers.map((b) => [
          b.name,
          String(b.opened),
          String(b.rejected),
          ms(b.timeInState.closed ?? 0),
          ms(b.timeInState.open ?? 0),
          ms(b.timeInState['half-open'] ?? 0),
          String(b.admitted),
          '',
        ]),
        widths,
      ),
    );
  }
  if (s.retries.length) {
    out.push('retries');
    out.push(
      ...table(
        ['name', 'reqs', 'tries', 'amplif', 'ok', 'gave up', '', ''],
        s.retries.map((x) => [
          x.name,
          String(x.requests),
          String(x.attempts),
          `${x.amplification.toFixed(2)}×`,
          String(x.succeeded),
          String(Object.values(x.gaveUp).reduce((a, b) => a + b, 0)),
          '',
          topKinds(x.gaveUp),
        ]),
        widths,
      ),
    );
  }
  return out.join('\n');
}

import { checkOptions, optionKeys } from '../options/validate.js';
import { latencyStats } from './percentile.js';
import { buildTimeline, type Span, type Timeline, type Track } from './spans.js';
import { eventsOf, type RunSummary, summarize, type TraceSource } from './summarize.js';
import { clockTime } from './terminal-timeline.js';

/*
 * The HTML report: one self-contained file (inline CSS, inline SVG, a few
 * lines of inline script, nothing fetched). A timeline with a swimlane per
 * workload, agent and service, breaker state bands, retry / fault / rejection
 * markers, a latency distribution per service, and summary tables including
 * invariant results. Hovering a span shows its details; a request id in the
 * filter box (or a click on a span) highlights everything that request caused.
 */

/** One invariant's verdict over the trace, shown in the report. */
export interface InvariantResult {
  readonly name: string;
  /** As `Invariant.check` of `faultline/property` returns them. */
  readonly violations: readonly {
    readonly message: string;
    readonly event?: { readonly seq: number; readonly t: number };
  }[];
}

export interface HtmlReportOptions {
  /** Page title. Default: the run's name, else "faultline run". */
  title?: string;
  /** Invariant verdicts for the summary (e.g. from `invariants.all()` of `faultline/property`). */
  invariants?: readonly InvariantResult[];
  /** At most this many spans drawn (the rest are counted). Default 20,000. */
  maxSpans?: number;
}

const WIDTH = 1100;
const LABEL = 180;
const PLOT = WIDTH - LABEL - 16;
const LANE = 12;
const MAX_LANES = 6;

function esc(text: unknown): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function ms(value: number): string {
  if (value >= 60_000) return `${(value / 60_000).toFixed(2)} min`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return `${Math.round(value * 10) / 10} ms`;
}

function kinds(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${esc(k)}&nbsp;×${v}`)
    .join(', ');
}

/**
 * Renders a run (its trace events) as a self-contained HTML page.
 *
 * @example
 * ```ts
 * writeFileSync('report.html', renderHtmlReport(result, { title: 'llm outage' }));
 * ```
 */
export function renderHtmlReport(source: TraceSource, raw?: HtmlReportOptions): string {
  const options = checkOptions(
    'renderHtmlReport',
    raw,
    optionKeys<HtmlReportOptions>()(['title', 'invariants', 'maxSpans']),
  );
  const events = eventsOf(source);
  const summary = summarize(events);
  const timeline = buildTimeline(events);
  const title = options.title ?? summary.name ?? 'faultline run';
  const requests = new Set(timeline.spans.map((s) => s.req).filter((r) => r !== undefined)).size;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — faultline report</title>
<style>${CSS}</style></head>
<body>
<header><h1>${esc(title)}</h1>
<p class="meta">seed <b>${esc(summary.seed)}</b> · outcome <b class="outcome-${esc(summary.outcome)}">${esc(summary.outcome)}</b> · virtual time <b>${ms(summary.virtualTimeMs)}</b> · ${summary.events} events · trace hash <code>${esc(summary.hash.slice(0, 16))}…</code>${requests ? ` · ${requests} correlated requests` : ''}</p></header>
<section><h2>Timeline</h2>
<p class="legend"><span class="sw ok"></span>ok <span class="sw error"></span>error <span class="sw rejected"></span>rejected <span class="sw pending"></span>pending
 · breaker <span class="sw closed"></span>closed <span class="sw open"></span>open <span class="sw half-open"></span>half-open
 · <span class="mk fault">▼</span>fault <span class="mk retry">◆</span>retry <span class="mk gave-up">✕</span>gave up <span class="mk rejected">|</span>rejected <span class="mk fallback">●</span>fallback</p>
<p><label>request id <input id="req-filter" placeholder="e.g. req-12" size="18"></label> <button id="req-clear" type="button">clear</button> <span id="req-info"></span></p>
${renderTimeline(timeline, options.maxSpans ?? 20_000)}
</section>
<section><h2>Latency distribution (virtual)</h2>${renderLatency(timeline)}</section>
<section><h2>Summary</h2>${renderInvariants(options.invariants)}${renderTables(summary)}</section>
<script>${SCRIPT}</script>
</body></html>
`;
}

function renderTimeline(t: Timeline, maxSpans: number): string {
  const end = t.end > 0 ? t.end : 1;
  const x = (time: number) => LABEL + (time / end) * PLOT;
  const rows: string[] = [];
  const rowY = new Map<string, number>();
  let y = 24;
  let previousKind = '';
  for (const track of t.tracks) {
    if (track.kind !== previousKind) {
      rows.push(`<text class="group" x="4" y="${y + 10}">${esc(groupName(track))}</text>`);
      y += 16;
      previousKind = track.kind;
    }
    const lanes = track.kind === 'breaker' || track.kind === 'retry' ? 1 : Math.min(track.lanes, MAX_LANES);
    const height = track.kind === 'breaker' ? 16 : lanes * LANE;
    rowY.set(`${track.kind}\u0000${track.actor}`, y);
    rows.push(
      `<g class="track" data-track="${esc(track.kind)}" data-actor="${esc(track.actor)}"><rect class="lane-bg" x="${LABEL}" y="${y}" width="${PLOT}" height="${height}"></rect><text class="label" x="${LABEL - 6}" y="${y + Math.min(height, 14) - 3}">${esc(track.actor)}${track.lanes > MAX_LANES && track.kind !== 'breaker' ? ` (${track.lanes} concurrent)` : ''}</text></g>`,
    );
    y += height + 4;
  }
  const spans: string[] = [];
  let drawn = 0;
  for (const s of t.spans) {
    if (drawn >= maxSpans) break;
    const top = rowY.get(`${s.track}\u0000${s.actor}`);
    if (top === undefined) continue;
    drawn++;
    spans.push(spanRect(s, top, x));
  }
  const markers = t.markers.map((m) => {
    const top = rowY.get(`${m.track}\u0000${m.actor}`) ?? rowY.get(`service\u0000${m.actor}`);
    if (top === undefined) return '';
    const mx = x(m.t).toFixed(1);
    const req = m.req ? ` data-req="${esc(m.req)}"` : '';
    const tip = `<title>${esc(`${clockTime(m.t)} ${m.actor}: ${m.label}${m.req ? ` [${m.req}]` : ''}`)}</title>`;
    const shape =
      m.kind === 'fault'
        ? `<path d="M${mx} ${top + 6} l-4 -7 h8 z"/>`
        : m.kind === 'retry'
          ? `<path d="M${mx} ${top + 1} l4 5 l-4 5 l-4 -5 z"/>`
          : m.kind === 'fallback'
            ? `<circle cx="${mx}" cy="${top + 6}" r="3.5"/>`
            : m.kind === 'rejected'
              ? `<rect x="${Number(mx) - 0.75}" y="${top}" width="1.5" height="14"/>`
              : `<path d="M${Number(mx) - 4} ${top + 2} l8 8 m0 -8 l-8 8"/>`;
    return `<g class="marker ${esc(m.kind)}"${req}>${tip}${shape}</g>`;
  });
  const ticks: string[] = [];
  for (let i = 0; i <= 8; i++) {
    const time = (end * i) / 8;
    ticks.push(
      `<line class="tick" x1="${x(time)}" x2="${x(time)}" y1="14" y2="${y}"></line><text class="axis" x="${x(time)}" y="10">${clockTime(time)}</text>`,
    );
  }
  const note =
    t.spans.length > drawn
      ? `<p class="note">${t.spans.length - drawn} more spans not drawn (limit ${maxSpans}).</p>`
      : '';
  return `<div class="scroll"><svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 4}" viewBox="0 0 ${WIDTH} ${y + 4}">${ticks.join('')}${rows.join('')}<g class="spans">${spans.join('')}</g><g class="markers">${markers.join('')}</g></svg></div>${note}`;
}

function groupName(track: Track): string {
  return {
    workload: 'workloads',
    agent: 'agents',
    service: 'services',
    breaker: 'circuit breakers',
    retry: 'retry policies',
  }[track.kind];
}

function spanRect(s: Span, top: number, x: (t: number) => number): string {
  const lane = s.track === 'breaker' ? 0 : Math.min(s.lane, MAX_LANES - 1);
  const height = s.track === 'breaker' ? 16 : LANE - 2;
  const left = x(s.start);
  const width = Math.max(1, x(s.end) - left);
  const req = s.req ? ` data-req="${esc(s.req)}"` : '';
  const tip = `${s.actor} ${s.label}: ${s.outcome}${s.detail ? ` (${s.detail})` : ''}, ${clockTime(s.start)} → ${clockTime(s.end)} (${ms(s.end - s.start)})${s.req ? ` [${s.req}]` : ''}`;
  const cls = s.track === 'breaker' ? `band ${s.outcome}` : `span ${s.outcome}`;
  return `<rect class="${esc(cls)}"${req} x="${left.toFixed(1)}" y="${top + lane * LANE}" width="${width.toFixed(1)}" height="${height}"><title>${esc(tip)}</title></rect>`;
}

function renderLatency(t: Timeline): string {
  const byService = new Map<string, number[]>();
  for (const s of t.spans) {
    if (s.track !== 'service' || s.outcome === 'pending') continue;
    let list = byService.get(s.actor);
    if (!list) byService.set(s.actor, (list = []));
    list.push(s.end - s.start);
  }
  if (byService.size === 0) return '<p class="note">No service calls.</p>';
  const charts = [...byService].map(([name, values]) => {
    const stats = latencyStats(values);
    const top = stats.max > 0 ? stats.max : 1;
    const bins = new Array<number>(30).fill(0);
    for (const v of values) bins[Math.min(29, Math.floor((v / top) * 30))]!++;
    const peak = Math.max(...bins);
    const w = 300;
    const h = 90;
    const bars = bins
      .map((n, i) => {
        const bh = peak > 0 ? (n / peak) * (h - 20) : 0;
        return `<rect class="bar" x="${(i * w) / 30}" y="${h - 14 - bh}" width="${w / 30 - 1}" height="${bh}"><title>${esc(`${ms((i * top) / 30)}–${ms(((i + 1) * top) / 30)}: ${n} calls`)}</title></rect>`;
      })
      .join('');
    const line = (v: number, label: string) =>
      `<line class="pline" x1="${(v / top) * w}" x2="${(v / top) * w}" y1="0" y2="${h - 14}"></line><text class="axis" x="${Math.min(w - 20, (v / top) * w)}" y="${h - 2}">${label}</text>`;
    return `<figure class="latency" data-service="${esc(name)}"><figcaption>${esc(name)} — ${stats.count} calls, p50 ${ms(stats.p50)}, p95 ${ms(stats.p95)}, p99 ${ms(stats.p99)}, max ${ms(stats.max)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${bars}${line(stats.p50, 'p50')}${line(stats.p99, 'p99')}</svg></figure>`;
  });
  return `<div class="charts">${charts.join('')}</div>`;
}

function renderInvariants(results: readonly InvariantResult[] | undefined): string {
  if (results === undefined) return '<h3>Invariants</h3><p class="note">Not checked for this report.</p>';
  const rows = results.map((r) => {
    const ok = r.violations.length === 0;
    const first = r.violations[0];
    return `<tr class="${ok ? 'pass' : 'fail'}"><td>${esc(r.name)}</td><td>${ok ? 'holds' : 'VIOLATED'}</td><td>${r.violations.length}</td><td>${first ? esc(`${first.message}${first.event ? ` (event #${first.event.seq} at ${clockTime(first.event.t)})` : ''}`) : ''}</td></tr>`;
  });
  return `<h3>Invariants</h3><table id="invariants"><thead><tr><th>invariant</th><th>verdict</th><th>violations</th><th>first violation</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function table(id: string, caption: string, head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return `<h3>${esc(caption)}</h3><table id="${id}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function renderTables(s: RunSummary): string {
  const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
  const r = s.requests;
  return [
    r.started
      ? `<p>Requests: <b>${r.started}</b> started, ${r.succeeded} succeeded, ${r.failed} failed, ${r.rejected} rejected${r.pending ? `, ${r.pending} pending` : ''}.</p>`
      : '',
    table(
      'services',
      'Services',
      [
        'service',
        'calls',
        'outcomes',
        'error rate',
        'p50',
        'p95',
        'p99',
        'per min',
        'errors by kind',
        'faults',
      ],
      s.services.map((x) => [
        esc(x.name),
        String(x.calls),
        kinds(x.outcomes),
        pct(x.errorRate),
        ms(x.latency.p50),
        ms(x.latency.p95),
        ms(x.latency.p99),
        x.throughputPerMinute.toFixed(1),
        kinds(x.errorsByKind),
        kinds(x.faults),
      ]),
    ),
    table(
      'agents',
      'Agents',
      ['agent', 'runs', 'ok', 'failed', 'error rate', 'p50', 'p95', 'p99', 'fallbacks', 'errors by kind'],
      s.agents.map((x) => [
        esc(x.name),
        String(x.runs),
        String(x.outcomes.ok),
        String(x.outcomes.failed),
        pct(x.errorRate),
        ms(x.latency.p50),
        ms(x.latency.p95),
        ms(x.latency.p99),
        String(x.fallbacks),
        kinds(x.errorsByKind),
      ]),
    ),
    table(
      'workloads',
      'Workloads',
      ['workload', 'requests', 'outcomes', 'error rate', 'p50', 'p95', 'p99', 'per min', 'errors by kind'],
      s.workloads.map((x) => [
        esc(x.name),
        String(x.requests),
        kinds(x.outcomes),
        pct(x.errorRate),
        ms(x.latency.p50),
        ms(x.latency.p95),
        ms(x.latency.p99),
        x.throughputPerMinute.toFixed(1),
        kinds(x.errorsByKind),
      ]),
    ),
    table(
      'breakers',
      'Circuit breakers',
      ['breaker', 'closed', 'open', 'half-open', 'opened', 'admitted', 'rejected', 'failures'],
      s.breakers.map((b) => [
        esc(b.name),
        ms(b.timeInState.closed ?? 0),
        ms(b.timeInState.open ?? 0),
        ms(b.timeInState['half-open'] ?? 0),
        String(b.opened),
        String(b.admitted),
        String(b.rejected),
        String(b.failures),
      ]),
    ),
    table(
      'retries',
      'Retry policies',
      ['policy', 'requests', 'attempts', 'retries', 'amplification', 'succeeded', 'gave up'],
      s.retries.map((x) => [
        esc(x.name),
        String(x.requests),
        String(x.attempts),
        String(x.retries),
        `${x.amplification.toFixed(2)}×`,
        String(x.succeeded),
        kinds(x.gaveUp),
      ]),
    ),
  ].join('');
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:16px 24px;color:#1d232b;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 6px;border-bottom:1px solid #dde}h3{font-size:14px;margin:14px 0 4px}
.meta{color:#555;margin:0}.outcome-failed{color:#b3261e}.outcome-ok{color:#1b7f3b}
.scroll{overflow-x:auto}svg text{font:11px system-ui,sans-serif}text.label{text-anchor:end;fill:#333}text.group{font-weight:600;fill:#555}
text.axis{fill:#777;text-anchor:middle}.tick{stroke:#eee}.lane-bg{fill:#f6f7f9}
.span.ok{fill:#4c9f70}.span.error{fill:#d9534f}.span.rejected{fill:#8e6bbf}.span.aborted{fill:#999}.span.pending{fill:#c9ccd1}.span.failure{fill:#d9534f}
.band.closed{fill:#bfe3c9}.band.open{fill:#f2a7a3}.band.half-open{fill:#f7d98b}.band.isolated{fill:#888}
.marker.fault{fill:#b3261e}.marker.retry{fill:#e08a00}.marker.gave-up{stroke:#222;stroke-width:1.5}.marker.rejected{fill:#6a3fa0}.marker.fallback{fill:#1f6fd1}.marker.timeout{stroke:#555;stroke-width:1.5}
.dim{opacity:.12}.hl{stroke:#000;stroke-width:1}
.legend{color:#444}.sw{display:inline-block;width:12px;height:10px;margin:0 3px 0 8px;vertical-align:-1px}
.sw.ok{background:#4c9f70}.sw.error{background:#d9534f}.sw.rejected{background:#8e6bbf}.sw.pending{background:#c9ccd1}.sw.closed{background:#bfe3c9}.sw.open{background:#f2a7a3}.sw.half-open{background:#f7d98b}
.mk{margin:0 2px 0 8px}.mk.fault{color:#b3261e}.mk.retry{color:#e08a00}.mk.rejected{color:#6a3fa0}.mk.fallback{color:#1f6fd1}
table{border-collapse:collapse;margin:4px 0 10px}th,td{border:1px solid #dde;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f3f4f7}
tr.fail td{background:#fde8e7}tr.pass td:nth-child(2){color:#1b7f3b}
.charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:12px;color:#444}.bar{fill:#5b8bd0}.pline{stroke:#b3261e;stroke-dasharray:3 2}
.note{color:#777;font-size:12px}`;

const SCRIPT = `(function(){
var input=document.getElementById('req-filter'),info=document.getElementById('req-info');
function apply(){var id=input.value.trim();var all=document.querySelectorAll('#timeline .span,#timeline .marker,#timeline .band');var n=0;
for(var i=0;i<all.length;i++){var el=all[i];var r=el.getAttribute('data-req');var match=id!==''&&r===id;if(match)n++;
el.classList.toggle('dim',id!==''&&!match);el.classList.toggle('hl',match);}
info.textContent=id===''?'':(n+' timeline elements for '+id);}
input.addEventListener('input',apply);
document.getElementById('req-clear').addEventListener('click',function(){input.value='';apply();});
document.getElementById('timeline').addEventListener('click',function(ev){var el=ev.target.closest('[data-req]');if(el){input.value=el.getAttribute('data-req');apply();}});
})();`;

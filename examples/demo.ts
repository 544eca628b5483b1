/*
 * `npm run demo`: the seed's research team (examples/research-team.ts) on
 * virtual time — a 429 storm trips the breaker and it recovers; web_search goes
 * down and answers degrade to partial_success with a fallback. Prints the seed,
 * the timeline and a summary, and writes an HTML report. Replay any run with
 * FAULTLINE_SEED=<seed> npm run demo.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatDuration, renderHtmlReport, simulate, summarize, Trace } from 'faultline';
import { researchTeam } from './research-team.js';

const result = await simulate(
  { name: 'research-team', seed: process.env.FAULTLINE_SEED ? undefined : 2024 },
  (sim) => researchTeam(sim),
);
if (result.error) throw result.error;

const t = result.trace;
console.log(
  `faultline demo — seed ${result.seed}; replay: ${result.rerun.replace('npx tsx examples/demo.ts', 'npm run demo')}\n`,
);
console.log('timeline: breaker transitions, fallbacks, and every question that did not fully succeed');
console.log('  (virtual time since start · #event number in the trace · event · actor · details)');
const notable = t.events.filter(
  (e) =>
    e.kind === 'breaker.state' ||
    e.kind === 'fallback.used' ||
    (e.kind === 'question.done' && (e.data?.status !== 'success' || e.data?.llm === 'cached')),
);
console.log(new Trace(undefined, notable).format({ limit: 40 }));
const v = result.value!;
const calls = t.ofKind('service.call');
const injected = t.ofKind('fault.injected');
const transitions = t.ofKind('breaker.state');
console.log('\nsummary');
console.log(
  `  virtual time   ${formatDuration(result.stats.virtualTimeMs)} in ${result.stats.wallTimeMs.toFixed(0)} ms of wall time`,
);
console.log(
  `  questions      ${v.questions}: ${v.success} answered live, ${v.degraded} answered from the cache while the LLM\n                 breaker was open (status=success llm=cached), ${v.partial} partial_success (web_search down), ${v.failed} failed`,
);
console.log(
  `  service calls  ${calls.length} (llm ${calls.filter((e) => e.actor === 'openai').length}, web_search ${calls.filter((e) => e.actor === 'web_search').length}); ${injected.length} faults injected`,
);
console.log(
  `  llm policy     ${t.ofKind('retry.scheduled').length} retries scheduled, ${t.ofKind('breaker.rejected').length} calls rejected by the open breaker`,
);
console.log(
  `  breaker        ${transitions.map((e) => `${e.data?.to}@${formatDuration(Math.round(e.t))}`).join(' → ') || 'never opened'}; ends ${v.breakerState}`,
);
console.log(`  requests       ${JSON.stringify(result.stats.requests)}`);
console.log(`  trace          ${t.length} events, hash ${t.hash.slice(0, 16)}…`);

const s = summarize(result);
const llm = s.services.find((x) => x.name === 'openai');
if (llm) {
  console.log(
    `  llm latency    p50 ${formatDuration(Math.round(llm.latency.p50))}, p95 ${formatDuration(Math.round(llm.latency.p95))}, p99 ${formatDuration(Math.round(llm.latency.p99))} (virtual); ${llm.throughputPerMinute.toFixed(1)} calls/min`,
  );
}
const report = '.faultline/reports/demo.html';
mkdirSync(dirname(report), { recursive: true });
writeFileSync(report, renderHtmlReport(result, { title: 'faultline demo: research team' }));
console.log(`\nHTML report (timeline, breaker bands, latency, summary): ${report}`);
console.log(`open it in a browser, e.g. file://${resolve(report)}`);

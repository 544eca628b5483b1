// `faultline`'s public types as a strict consumer uses them (see ../package.test.ts for the flags).

import { type CircuitBreaker, dist, faults, type SimulationResult, simulate } from 'faultline';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

const result: SimulationResult<number> = await simulate({ seed: 42, until: '1m' }, async (sim) => {
  const llm = sim.service('llm', {
    latency: dist.lognormal({ median: '800ms', p99: '6s' }),
    faults: [faults.errors({ rate: 0.05, status: 503 }), faults.outage({ at: '10s', for: '5s' })],
    handle: (req: { prompt: string }) => ({ text: `answer: ${req.prompt}` }),
  });
  const breaker: CircuitBreaker = sim.breaker('llm', { failureThreshold: 5, timeout: '30s' });
  const retry = sim.retry('llm', { maxRetries: 3, baseDelay: '1s', maxDelay: '30s', jitter: 'full' });
  const answer = await retry.execute(() => breaker.execute(() => llm.call({ prompt: 'tides' })));
  const text: string = answer.text;
  return text.length;
});

const hash: string = result.trace.hash;
const value: number | undefined = result.value;
const unwrapped: number = result.unwrap();
const rerun: string = result.rerun;
void [hash, value, unwrapped, rerun];

// Scenario files and the numbers of a run.
import {
  type RunSummary,
  renderHtmlReport,
  type Scenario,
  scenario,
  summarize,
  toChromeTrace,
} from 'faultline';

const storm: Scenario<number> = scenario('storm', async (sim) => sim.now(), { until: '1m' });
const summary: RunSummary = summarize(await storm.run({ seed: 3 }));
const p99: number | undefined = summary.services[0]?.latency.p99;
const html: string = renderHtmlReport(result, { title: 'x' });
const chrome = toChromeTrace(result.trace);
void [p99, html, chrome.traceEvents.length];

// `sim.http` takes a service, an LLM and an msw server's handlers as they are, without casts.
const server = setupServer(http.get('https://api.example.test/ping', () => HttpResponse.json({ ok: true })));
await simulate({ seed: 1 }, async (sim) => {
  sim.http('https://api.openai.com/v1', sim.llm('openai', { provider: 'openai' }));
  sim.http('https://api.anthropic.com', sim.llm('anthropic', { provider: 'anthropic' }));
  sim.http(
    'https://search.test',
    sim.service('search', { handle: (q: unknown) => ({ results: [String(q)] }) }),
  );
  sim.http('https://api.example.test', server.listHandlers());
  sim.http('https://fn.test', (request: Request) => new Response(request.url));
});

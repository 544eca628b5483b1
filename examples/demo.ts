/*
 * `npm run demo`: the seed's research pipeline on virtual time. A researcher →
 * analyzer → validator → formatter team answers questions through an LLM that
 * suffers a 429 storm; every LLM call goes through the breaker + retry that the
 * seed's agentflow.toml configures. Prints the seed, the timeline and a summary.
 * Rerun any run exactly with FAULTLINE_SEED=<seed> npm run demo.
 */
import { fileURLToPath } from 'node:url';
import {
  AgentState,
  breakerOptionsFromConfig,
  dist,
  formatDuration,
  loadAgentflowConfig,
  retryOptionsFromConfig,
  simulate,
} from 'faultline';

const configPath = fileURLToPath(new URL('./agentflow.toml', import.meta.url));

const result = await simulate(
  { name: 'demo', seed: process.env.FAULTLINE_SEED ? undefined : 2024 },
  async (sim) => {
    const cfg = await loadAgentflowConfig(configPath);
    const breaker = sim.breaker('llm', breakerOptionsFromConfig(cfg));
    const retry = sim.retry('llm', retryOptionsFromConfig(cfg));

    // The LLM: lognormal latency; a 429 storm from 1m to 3m; 3% random 503s otherwise.
    const latency = dist.lognormal({ median: '800ms', p99: '6s' });
    const llmRandom = sim.random.fork('llm');
    const llm = async (prompt: string) => {
      await sim.sleep(llmRandom.sample(latency));
      const storm = sim.now() >= 60_000 && sim.now() < 180_000;
      if (storm)
        throw Object.assign(new Error('429 Too Many Requests'), {
          status: 429,
          headers: { 'retry-after': '2' },
        });
      if (llmRandom.chance(0.03)) throw Object.assign(new Error('503 Service Unavailable'), { status: 503 });
      return `answer(${prompt})`;
    };
    const ask = (prompt: string) => retry.execute(() => breaker.execute(() => llm(prompt)));

    const step = (name: string, key: string) =>
      sim.agent(
        name,
        async (s: AgentState) => s.clone().set(key, await ask(`${name}: ${s.get('question')}`)),
        {
          fallback: (s: AgentState) => s.clone().set(key, '(cached)').setMeta('degraded', 'true'),
        },
      );
    const team = ['researcher', 'analyzer', 'validator', 'formatter'].map((n) => step(n, n));

    const outcomes = { complete: 0, degraded: 0, failed: 0 };
    await sim.workload.poisson({ rate: '6/m', for: '5m' }, async (i) => {
      const run = await sim.sequential(team, new AgentState({ question: `q${i}` }));
      const state = run.output as AgentState | undefined;
      if (run.status !== 'success') outcomes.failed++;
      else if (state?.metadata.degraded) outcomes.degraded++;
      else outcomes.complete++;
    });
    return { ...outcomes, breakerState: breaker.state };
  },
);

console.log(`faultline demo — seed ${result.seed} (rerun: ${result.rerun})\n`);
console.log(result.trace.format({ kinds: ['sim', 'breaker.state', 'request.end'], limit: 60 }));
const v = result.value!;
const t = result.trace;
console.log('\nsummary');
console.log(
  `  virtual time    ${formatDuration(result.stats.virtualTimeMs)} (wall ${result.stats.wallTimeMs.toFixed(0)} ms)`,
);
console.log(
  `  questions       ${result.stats.requests.started}: ${v.complete} complete, ${v.degraded} degraded to cached answers, ${v.failed} failed`,
);
console.log(
  `  llm attempts    ${t.ofKind('breaker.admitted').length} admitted, ${t.ofKind('breaker.rejected').length} rejected by the open breaker`,
);
console.log(
  `  retries         ${t.ofKind('retry.scheduled').length} scheduled, ${t.ofKind('retry.gave-up').length} gave up`,
);
console.log(
  `  breaker         ${t
    .ofKind('breaker.state')
    .map((e) => `${e.data?.to}@${formatDuration(e.t)}`)
    .join(' → ')}; ends ${v.breakerState}`,
);
console.log(`  trace           ${t.length} events, hash ${t.hash.slice(0, 16)}…`);

/*
 * `npm run demo`: a small multi-agent scenario on virtual time. A coordinator
 * fans questions out to three agents that call a flaky, slow LLM; each agent
 * retries with exponential backoff. Prints the seed, the timeline and a summary.
 * Rerun any run exactly with FAULTLINE_SEED=<seed> npm run demo.
 */
import { dist, formatDuration, simulate } from 'faultline';

const result = await simulate(
  { name: 'demo', seed: process.env.FAULTLINE_SEED ? undefined : 2024 },
  async (sim) => {
    const latency = dist.lognormal({ median: '800ms', p99: '6s' });
    const llm = sim.random.fork('llm');
    let calls = 0;
    const callLlm = async (agent: string, prompt: string) => {
      const call = ++calls;
      const wait = llm.sample(latency);
      await sim.sleep(wait);
      const failed = sim.now() > 20_000 && sim.now() < 50_000 ? llm.chance(0.9) : llm.chance(0.1); // an outage window
      sim.emit(failed ? 'llm.error' : 'llm.ok', { call, prompt, latencyMs: Math.round(wait) }, agent);
      if (failed) throw new Error('503 Service Unavailable');
      return `answer(${prompt})`;
    };
    const withRetry = async (agent: string, fn: () => Promise<string>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (error) {
          if (attempt > 3) throw error;
          const delay = Math.min(30_000, 1000 * 2 ** (attempt - 1)) * Math.random(); // full jitter
          sim.emit('retry.scheduled', { attempt, delayMs: Math.round(delay) }, agent);
          await sim.sleep(delay);
        }
      }
    };
    const agents = ['researcher', 'analyzer', 'validator'];
    const outcomes = { answered: 0, failed: 0 };
    await Promise.all(
      agents.map((name, k) =>
        sim.spawn(name, async () => {
          for (let i = 0; i < 6; i++) {
            await sim.sleep(2000 * k + 5000);
            try {
              await withRetry(name, () => callLlm(name, `${name}-q${i}`));
              outcomes.answered++;
            } catch {
              outcomes.failed++;
              sim.emit('agent.gave-up', { question: i }, name);
            }
          }
        }),
      ),
    );
    return { ...outcomes, llmCalls: calls };
  },
);

console.log(`faultline demo — seed ${result.seed} (rerun: ${result.rerun})\n`);
console.log(result.trace.format({ limit: 60 }));
const v = result.value!;
console.log('\nsummary');
console.log(
  `  virtual time   ${formatDuration(result.stats.virtualTimeMs)} (wall ${result.stats.wallTimeMs.toFixed(0)} ms)`,
);
console.log(`  questions      ${v.answered + v.failed}: ${v.answered} answered, ${v.failed} gave up`);
console.log(
  `  llm calls      ${v.llmCalls} (${result.trace.ofKind('llm.error').length} errors, ${result.trace.ofKind('retry').length} retries)`,
);
console.log(`  trace          ${result.trace.length} events, hash ${result.trace.hash.slice(0, 16)}…`);

/*
 * The seed's end-to-end flow as a faultline scenario: a researcher → analyzer →
 * validator → formatter team answers questions using an LLM (reached through the
 * unmodified openai SDK) and a `web_search` tool service. Every LLM call goes
 * through the policies the seed's agentflow.toml describes (`policiesFromConfig`:
 * retry around the breaker).
 *
 * The world misbehaves on schedule: a 429 storm from 2m to 3m30s trips the
 * breaker (and it must recover), and `web_search` is down from 6m to 8m (the
 * team must still answer: `partial_success`, with a visible fallback).
 */
import { fileURLToPath } from 'node:url';
import { AgentState, dist, faults, loadAgentflowConfig, policiesFromConfig, type Sim } from 'faultline';
import OpenAI from 'openai';

const configPath = fileURLToPath(new URL('./agentflow.toml', import.meta.url));

export interface TeamSummary {
  questions: number;
  success: number;
  partial: number;
  degraded: number;
  failed: number;
  breakerState: string;
}

export async function researchTeam(
  sim: Sim,
  { questionsPerMinute = 4, minutes = 10 } = {},
): Promise<TeamSummary> {
  const cfg = await loadAgentflowConfig(configPath);

  const llm = sim.llm('openai', {
    provider: 'openai',
    ttft: dist.lognormal({ median: '400ms', p99: '4s' }),
    tokensPerSecond: 80,
    faults: [
      faults.when({ between: ['2m', '3m30s'] }, faults.errors({ rate: 0.95, status: 429 })),
      faults.errors({ rate: 0.02, status: [500, 503] }),
    ],
  });
  sim.http('https://api.openai.com/v1', llm);
  // The SDK as users create it; its own retries are off so agentflow.toml's policy governs.
  const openai = new OpenAI({ apiKey: 'sk-test', maxRetries: 0 });

  const webSearch = sim.service('web_search', {
    latency: dist.lognormal({ median: '150ms', p99: '1.5s' }),
    faults: [faults.outage({ at: '6m', for: '2m' })],
    handle: (query: string) => [`https://example.org/${encodeURIComponent(query)}`],
  });

  const llmPolicy = policiesFromConfig(cfg, { sim, name: 'llm' });
  const ask = (prompt: string) =>
    llmPolicy.pipeline.execute(async (signal) => {
      const completion = await openai.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] },
        { signal },
      );
      return completion.choices[0]?.message.content ?? '';
    });

  // An LLM-backed step; when the LLM is unavailable it degrades to a cached answer.
  const llmStep = (name: string, key: string, prompt: (s: AgentState) => string) =>
    sim.agent(name, async (s: AgentState) => s.clone().set(key, await ask(prompt(s))), {
      timeout: '2m',
      fallback: (s: AgentState) => s.clone().set(key, `(cached ${key})`).setMeta('degraded', 'true'),
    });

  const searcher = sim.agent(
    'web_searcher',
    async (s: AgentState) => new AgentState({ sources: await webSearch.call(String(s.get('question'))) }),
  );
  const researcher = llmStep('researcher', 'notes', (s) => `Research: ${s.get('question')}`);
  const analyzer = sim.agent(
    'analyzer',
    async (s: AgentState) => {
      const sources = s.get<string[]>('sources');
      if (!sources)
        sim.emit('fallback.used', { reason: 'no web sources', question: s.get('question') }, 'analyzer');
      const next = s.clone().set('sources', sources ?? ['(model knowledge only)']);
      return next
        .set('analysis', await ask(`Analyze: ${s.get('notes')}`))
        .setMeta('sourced', sources ? 'web' : 'fallback');
    },
    {
      fallback: (s: AgentState) => s.clone().set('analysis', '(cached analysis)').setMeta('degraded', 'true'),
    },
  );
  const validator = llmStep('validator', 'validated', (s) => `Validate: ${s.get('analysis')}`);
  const formatter = llmStep('formatter', 'answer', (s) => `Format: ${s.get('validated')}`);

  const summary: TeamSummary = {
    questions: 0,
    success: 0,
    partial: 0,
    degraded: 0,
    failed: 0,
    breakerState: '',
  };
  await sim.workload.poisson({ rate: `${questionsPerMinute}/m`, for: `${minutes}m` }, async (i) => {
    summary.questions++;
    const run = await sim.mixed(
      {
        collaborative: [searcher, researcher],
        sequential: [analyzer, validator, formatter],
        failureThreshold: 0.5,
      },
      new AgentState({ question: `question ${i}` }),
    );
    const state = run.output as AgentState | undefined;
    sim.emit(
      'question.done',
      { i, status: run.status, llm: state?.metadata.degraded ? 'cached' : 'live' },
      'team',
    );
    if (run.status === 'failure') summary.failed++;
    else if (state?.metadata.degraded) summary.degraded++;
    else if (run.status === 'partial_success') summary.partial++;
    else summary.success++;
    if (run.status === 'failure') throw run.error;
  });
  summary.breakerState = llmPolicy.breaker?.state ?? 'none';
  return summary;
}

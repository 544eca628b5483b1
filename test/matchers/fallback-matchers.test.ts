import 'faultline/vitest';
import { fallback, type Sim, type SimulationResult } from 'faultline';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './scenarios.js';

/** An agent whose handler fails answers with its fallback (`agent.fallback`). */
async function agentFallback(sim: Sim): Promise<string> {
  const searcher = sim.agent(
    'searcher',
    async () => {
      await sim.sleep('2s');
      throw new Error('web_search is down');
    },
    { fallback: () => 'cached results' },
  );
  return searcher.run('topic');
}

/** A `fallback` chain whose live step fails after 1 s, so the cache answers. */
async function chain(sim: Sim): Promise<string> {
  const answer = fallback(
    [
      [
        'live',
        async () => {
          await sim.sleep('1s');
          throw new Error('503');
        },
      ],
      ['cache', () => 'cached answer'],
      ['canned', () => 'try again later'],
    ],
    { name: 'answer', clock: sim.clock, trace: sim.trace },
  );
  return answer.execute();
}

let agent: SimulationResult;
let steps: SimulationResult;
let none: SimulationResult;
beforeAll(async () => {
  agent = await run(11, agentFallback);
  steps = await run(12, chain);
  none = await run(13, async (sim) => sim.sleep('1s'));
});

describe('toHaveFallenBackTo', () => {
  it('passes when a fallback chain reached the step, or the agent answered with its fallback', () => {
    expect(steps).toHaveFallenBackTo('cache');
    expect(agent).toHaveFallenBackTo('searcher');
    expect(steps).toHaveFallenBackTo(expect.stringMatching(/^ca/));
  });

  it('fails with the fallbacks that happened instead', () => {
    expect(() => expect(steps).toHaveFallenBackTo('canned')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to fall back to 'canned'
      it never fell back to 'canned'; fallbacks in the run: 'cache' (in 'answer') ×1
      trace excerpt:
           +0.000s  #1     fallback.declared    answer         steps=["live","cache","canned"]
           +0.000s  #2     fallback.step        answer         index=0 step=live
           +1.000s  #3     fallback.failure     answer         error=Error: 503 index=0 step=live
           +1.000s  #4     fallback.step        answer         index=1 previousError=Error: 503 step=cache
           +1.000s  #5     fallback.success     answer         index=1 step=cache
      seed 12 — rerun: FAULTLINE_SEED=12 npx vitest run test/matchers/fallback-matchers.test.ts]
    `);
    expect(() => expect(none).toHaveFallenBackTo('cache')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run to fall back to 'cache'
      no fallback step or agent named 'cache' in this run (it has no fallback chain and no agent ran)
      seed 13 — rerun: FAULTLINE_SEED=13 npx vitest run test/matchers/fallback-matchers.test.ts]
    `);
  });

  it('.not', () => {
    expect(steps).not.toHaveFallenBackTo('live');
    expect(steps).not.toHaveFallenBackTo('canned');
    // the run has no chain with a step 'cache': .not does not pass on it (it used to, vacuously)
    expect(() => expect(none).not.toHaveFallenBackTo('cache')).toThrow(
      /no fallback step or agent named 'cache'/,
    );
    expect(() => expect(agent).not.toHaveFallenBackTo('searcher')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to fall back to 'searcher'
      it fell back to 'searcher' once, first at +2s
      trace excerpt:
           +2.000s  #3     agent.fallback       searcher       error=Error: web_search is down run=1
      seed 11 — rerun: FAULTLINE_SEED=11 npx vitest run test/matchers/fallback-matchers.test.ts]
    `);
    expect(() => expect(steps).not.toHaveFallenBackTo('cache')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to fall back to 'cache'
      it fell back to 'cache' once, first at +1s (the step served 1 of 1)
      trace excerpt:
           +0.000s  #2     fallback.step        answer         index=0 step=live
           +1.000s  #3     fallback.failure     answer         error=Error: 503 index=0 step=live
           +1.000s  #4     fallback.step        answer         index=1 previousError=Error: 503 step=cache
      seed 12 — rerun: FAULTLINE_SEED=12 npx vitest run test/matchers/fallback-matchers.test.ts]
    `);
  });
});

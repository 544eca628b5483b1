import 'faultline/vitest';
import { ConfigError, defineFault, type SimulationResult } from 'faultline';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, spares } from './scenarios.js';

/*
 * A name the run does not have (a misspelt breaker, service, retry policy,
 * fallback step) fails with AND without .not, naming what the run has, so a
 * typo cannot make a negated assertion pass. Primitives created but never used
 * are known (they trace a declaration), so .not still passes on them.
 */

let result: SimulationResult;
let empty: SimulationResult;
beforeAll(async () => {
  result = await run(21, spares);
  empty = await run(22, async (sim) => sim.sleep('1s'));
});

describe('asked about any breaker or retry policy, a run that has none fails with and without .not', () => {
  it('toHaveTrippedBreaker()', () => {
    expect(() => expect(empty).not.toHaveTrippedBreaker()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected a breaker not to trip (open) at least once
      no breaker at all in this run
      (.not cannot pass on a run that has none)
      seed 22 — rerun: FAULTLINE_SEED=22 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(empty).toHaveTrippedBreaker()).toThrow(/no breaker at all in this run/);
  });

  it('toHaveRetried() and toHaveHonoredRetryAfter()', () => {
    expect(() => expect(empty).not.toHaveRetried()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the retry policies not to retry at least once
      no retry policy at all in this run
      (.not cannot pass on a run that has none)
      seed 22 — rerun: FAULTLINE_SEED=22 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(empty).toHaveRetried(0)).toThrow(/no retry policy at all in this run/);
    expect(() => expect(empty).toHaveHonoredRetryAfter()).toThrow(/no retry policy at all in this run/);
    expect(() => expect(empty).not.toHaveHonoredRetryAfter()).toThrow(
      /\(\.not cannot pass on a run that has none\)/,
    );
  });

  it('a run with a breaker or policy never used is judged as before', () => {
    expect(result).not.toHaveTrippedBreaker('search');
    expect(result).toHaveRetried(0, { name: 'search' });
  });
});

describe('a misspelt name fails with and without .not', () => {
  it('toHaveTrippedBreaker', () => {
    expect(() => expect(result).not.toHaveTrippedBreaker('lmm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'lmm' not to trip (open) at least once
      no breaker named 'lmm' in this run (breakers: 'llm', 'search'); did you mean 'llm'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveTrippedBreaker('lmm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'lmm' to trip (open) at least once
      no breaker named 'lmm' in this run (breakers: 'llm', 'search'); did you mean 'llm'?
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).not.toHaveTrippedBreaker('lmm', { times: 0 })).toThrow(
      /no breaker named 'lmm'/,
    );
  });

  it('toHaveBreakerState', () => {
    expect(() => expect(result).not.toHaveBreakerState('serch', 'open')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'serch' not to end 'open'
      no breaker named 'serch' in this run (breakers: 'llm', 'search'); did you mean 'search'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveBreakerState('serch', 'closed')).toThrow(/no breaker named 'serch'/);
  });

  it('toHaveBreakerTransitions', () => {
    expect(() =>
      expect(result).not.toHaveBreakerTransitions('lm', ['closed', 'open']),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'lm' not to go through 'closed' → 'open'
      no breaker named 'lm' in this run (breakers: 'llm', 'search'); did you mean 'llm'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveBreakerTransitions('lm', ['closed'])).toThrow(/did you mean 'llm'\?/);
  });

  it('toHaveRejectedCalls', () => {
    expect(() => expect(result).not.toHaveRejectedCalls('poool')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected 'poool' not to reject calls at least once
      no breaker, bulkhead or rate limiter named 'poool' in this run (components that can refuse calls: 'llm', 'search', 'pool'); did you mean 'pool'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveRejectedCalls('poool', 0)).toThrow(
      /no breaker, bulkhead or rate limiter/,
    );
  });

  it('toHaveRetried({ name })', () => {
    expect(() =>
      expect(result).not.toHaveRetried(undefined, { name: 'lmm' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected retry 'lmm' not to retry at least once
      no retry policy named 'lmm' in this run (retry policies: 'llm', 'search'); did you mean 'llm'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveRetried(0, { name: 'lmm' })).toThrow(/no retry policy named 'lmm'/);
  });

  it('toHaveHonoredRetryAfter', () => {
    expect(() => expect(result).not.toHaveHonoredRetryAfter('serch')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected retry 'serch' not to honor Retry-After (wait at least as long as the server asked)
      no retry policy named 'serch' in this run (retry policies: 'llm', 'search'); did you mean 'search'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveHonoredRetryAfter('serch')).toThrow(/no retry policy named 'serch'/);
  });

  it('toHaveCalledService', () => {
    expect(() => expect(result).not.toHaveCalledService('LLM')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected service 'LLM' not to be called at least once
      no service named 'LLM' in this run (services: 'llm', 'search'); did you mean 'llm'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveCalledService('LLM', 0)).toThrow(/no service named 'LLM'/);
  });

  it('toHaveFallenBackTo', () => {
    expect(() => expect(result).not.toHaveFallenBackTo('cahce')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to fall back to 'cahce'
      no fallback step or agent named 'cahce' in this run (fallback steps: 'live', 'cache', 'primary', 'backup'); did you mean 'cache'?
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(result).toHaveFallenBackTo('cahce')).toThrow(/did you mean 'cache'\?/);
  });

  it('an asymmetric name that matches nothing fails too, without a guess', () => {
    expect(() =>
      expect(result).not.toHaveTrippedBreaker(expect.stringMatching(/^db/)),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker StringMatching /^db/ not to trip (open) at least once
      no breaker matching StringMatching /^db/ in this run (breakers: 'llm', 'search')
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
  });

  it('a name far from every known one gets no guess; a run without any says so', () => {
    expect(() => expect(result).not.toHaveCalledService('database')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected service 'database' not to be called at least once
      no service named 'database' in this run (services: 'llm', 'search')
      (.not cannot pass on a name the run does not have)
      seed 21 — rerun: FAULTLINE_SEED=21 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(empty).not.toHaveTrippedBreaker('llm')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected breaker 'llm' not to trip (open) at least once
      no breaker named 'llm' in this run (it has no breaker)
      (.not cannot pass on a name the run does not have)
      seed 22 — rerun: FAULTLINE_SEED=22 npx vitest run test/matchers/unknown-names.test.ts]
    `);
    expect(() => expect(empty).not.toHaveFallenBackTo('cache')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the run not to fall back to 'cache'
      no fallback step or agent named 'cache' in this run (it has no fallback chain and no agent ran)
      (.not cannot pass on a name the run does not have)
      seed 22 — rerun: FAULTLINE_SEED=22 npx vitest run test/matchers/unknown-names.test.ts]
    `);
  });

  it('a name only a service or a fallback chain has is not a component that rejects calls', async () => {
    const bare = await run(23, async (sim) => {
      const db = sim.service('db', { handle: () => 'row' });
      await db.call({});
    });
    expect(() => expect(result).not.toHaveRejectedCalls('answer')).toThrow(
      /'answer' appears only in fallback\.\* events, which never refuse calls/,
    );
    expect(() => expect(bare).not.toHaveRejectedCalls('db')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected 'db' not to reject calls at least once
      no breaker, bulkhead or rate limiter named 'db' in this run (it has no breaker, bulkhead or rate limiter); 'db' appears only in service.* events, which never refuse calls
      (.not cannot pass on a name the run does not have)
      seed 23 — rerun: FAULTLINE_SEED=23 npx vitest run test/matchers/unknown-names.test.ts -t 'a name only a service or a fallback chain has is not a component that rejects calls']
    `);
  });
});

describe('a primitive created but never used is known', () => {
  it('.not passes on it, and a count of 0 matches', () => {
    expect(result).not.toHaveTrippedBreaker('search');
    expect(result).toHaveTrippedBreaker('search', { times: 0 });
    expect(result).toHaveBreakerState('search', 'closed');
    expect(result).toHaveBreakerTransitions('search', ['closed']);
    expect(result).not.toHaveRejectedCalls('search');
    expect(result).not.toHaveRejectedCalls('pool');
    expect(result).toHaveRejectedCalls('pool', 0);
    expect(result).not.toHaveRetried(undefined, { name: 'search' });
    expect(result).toHaveRetried(0, { name: 'search' });
    expect(result).not.toHaveHonoredRetryAfter('search');
    expect(result).not.toHaveCalledService('search');
    expect(result).toHaveCalledService('search', 0);
    expect(result).not.toHaveFallenBackTo('backup');
    expect(result).not.toHaveFallenBackTo('live');
  });

  it('the used ones still pass and fail as before', () => {
    expect(result).toHaveTrippedBreaker('llm');
    expect(result).toHaveRejectedCalls('llm', 2);
    expect(result).toHaveRetried(1, { name: 'llm' });
    expect(result).toHaveCalledService('llm', 2);
    expect(result).toHaveFallenBackTo('cache');
    expect(() => expect(result).not.toHaveTrippedBreaker('llm')).toThrow(/breaker 'llm' opened 1 time/);
  });
});

describe('toHaveInjectedFault: the kind is checked against the fault catalog', () => {
  it('a kind that does not exist is a ConfigError, with or without .not', () => {
    for (const call of [
      () => expect(result).not.toHaveInjectedFault('outtage'),
      () => expect(result).toHaveInjectedFault('outtage', 0),
    ]) {
      expect(call).toThrow(ConfigError);
    }
    expect(() => expect(result).not.toHaveInjectedFault('outtage')).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: toHaveInjectedFault(kind): got "outtage"; expected a fault kind of the catalog ('errors', 'latency', 'hang', 'timeout', 'outage', 'flapping', 'rateLimit', 'overloaded', 'reset', 'responseLost', 'degrade', 'streamError', 'stall', 'truncate', 'slowStream', 'malformed', 'finishReason', 'emptyContent', 'invalidToolCall') or one this run injected; did you mean 'outage'?]`,
    );
    expect(() => expect(result).not.toHaveInjectedFault('when')).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: toHaveInjectedFault(kind): got "when"; expected a fault kind of the catalog ('errors', 'latency', 'hang', 'timeout', 'outage', 'flapping', 'rateLimit', 'overloaded', 'reset', 'responseLost', 'degrade', 'streamError', 'stall', 'truncate', 'slowStream', 'malformed', 'finishReason', 'emptyContent', 'invalidToolCall') or one this run injected (faults.when is traced under the kind of the fault it wraps)]`,
    );
    expect(() => expect(result).not.toHaveInjectedFault(expect.stringMatching(/^gremlin/))).toThrow(
      ConfigError,
    );
  });

  it('a real kind that was not injected is a legitimate .not pass', () => {
    expect(result).not.toHaveInjectedFault('rateLimit');
    expect(result).toHaveInjectedFault('rateLimit', 0);
    expect(empty).not.toHaveInjectedFault('outage');
    expect(result).toHaveInjectedFault('outage', 2);
  });

  it('a kind of your own (defineFault) is known once the run injected it', async () => {
    const gremlin = defineFault('gremlin', 'gremlin()', () => () => [
      { type: 'delay', fault: 'gremlin', stage: 'latency', ms: 5 },
    ]);
    const own = await run(24, async (sim) => {
      await sim.service('api', { faults: [gremlin], handle: () => 'ok' }).call({});
    });
    expect(own).toHaveInjectedFault('gremlin', 1);
    expect(() => expect(own).not.toHaveInjectedFault('gremlin')).toThrow(/'gremlin' was injected 1 time/);
    expect(() => expect(result).not.toHaveInjectedFault('gremlin')).toThrow(ConfigError);
  });
});

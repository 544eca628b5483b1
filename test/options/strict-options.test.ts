import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/config-error.js';
import type { Sim } from '../../src/index.js';
import { Trace } from '../../src/trace/trace.js';

/*
 * Every public factory rejects a misspelt option key with a `ConfigError` naming
 * the key: a typo must never silently turn a feature off.
 *
 * The test walks the public API: every function exported from every package entry
 * point (package.json `exports`), every function of an exported namespace object
 * (`faults.*`, `dist.*`, …), every `sim.*` method and every `sim.workload.*`. Each
 * must have a case in CASES (a call with a misspelt key, the key first) or an entry
 * in NO_OPTIONS saying why it takes no options object. A new export with neither
 * fails here: add its case.
 */

// Calls deliberately break the option types.
type Api = Record<string, any>;
type Case = readonly [typo: string, call: (api: Api, sim: Sim) => unknown];

const CASES: Record<string, Case> = {
  // top level
  simulate: ['sed', (api) => api.simulate({ sed: 1 }, () => {})],
  circuitBreaker: ['failureTreshold', (api) => api.circuitBreaker({ failureTreshold: 1 })],
  retry: ['maxRetires', (api) => api.retry({ maxRetires: 0 })],
  timeout: ['mdoe', (api) => api.timeout('1s', { mdoe: 'cooperative' })],
  retryBudget: ['capacty', (api) => api.retryBudget({ capacty: 5 })],
  parseAgentflowConfig: ['sorce', (api) => api.parseAgentflowConfig('', { sorce: 'x.toml' })],
  scenario: ['sed', (api) => api.scenario('s', () => {}, { sed: 1 })],
  simTest: ['sed', (api) => api.simTest('s', () => {}, { sed: 1 })],
  'matchers.toHaveTrippedBreaker': [
    'tims',
    (api) => api.matchers.toHaveTrippedBreaker.call(matcherThis, runOf(), 'llm', { tims: 1 }),
  ],
  'matchers.toHaveNoRetryStorm': [
    'maxAmplifcation',
    (api) => api.matchers.toHaveNoRetryStorm.call(matcherThis, runOf(), { maxAmplifcation: 2 }),
  ],
  'matchers.toHaveRetried': [
    'nme',
    (api) => api.matchers.toHaveRetried.call(matcherThis, runOf(), 1, { nme: 'llm' }),
  ],
  renderHtmlReport: ['titel', (api) => api.renderHtmlReport([], { titel: 'x' })],
  'invariants.breaker': ['nam', (api) => api.invariants.breaker({ nam: 'b' })],
  checkResilience: [
    'numRun',
    (api) => api.checkResilience({ arbitraries: {}, scenario: () => {}, numRun: 5, failures: false }),
  ],
  'arb.retryConfig': ['maxRetriesUpto', (api) => api.arb.retryConfig({ maxRetriesUpto: 3 })],
  'arb.faultPlan': ['horizn', (api) => api.arb.faultPlan({ horizon: '1m', horizn: '1m' })],
  'arb.workload': ['agentsUpto', (api) => api.arb.workload({ agentsUpto: 3 })],
  'arb.loadBalancerConfig': [
    'backend',
    (api) => api.arb.loadBalancerConfig({ backends: ['a'], backend: ['a'] }),
  ],
  instrumentBreaker: [
    'failureTreshold',
    (api, sim) =>
      api.instrumentBreaker(
        sim,
        'b',
        { state: 'closed', execute: (f: () => unknown) => f() },
        { failureTreshold: 1 },
      ),
  ],
  instrumentCockatiel: [
    'failureTreshold',
    (api, sim) =>
      api.instrumentCockatiel(sim, 'c', { execute: (f: () => unknown) => f() }, { failureTreshold: 1 }),
  ],
  instrumentOpossum: [
    'resetTimout',
    (api, sim) => api.instrumentOpossum(sim, 'o', { on() {}, options: {} }, { resetTimout: 1 }),
  ],
  instrumentRetry: [
    'maxRetires',
    (api, sim) => api.instrumentRetry(sim, 'r', { execute: (f: () => unknown) => f() }, { maxRetires: 1 }),
  ],
  'invariants.retry': ['nam', (api) => api.invariants.retry({ nam: 'r' })],
  'invariants.noRetryStorm': [
    'maxAmplifcation',
    (api) => api.invariants.noRetryStorm({ maxAmplifcation: 2 }),
  ],
  'invariants.liveness.breakerRecloses': [
    'withn',
    (api) => api.invariants.liveness.breakerRecloses({ withn: '1m' }),
  ],
  bulkhead: ['maxConcurent', (api) => api.bulkhead({ maxConcurent: 2 })],
  rateLimiter: ['brust', (api) => api.rateLimiter({ rate: '1/s', brust: 2 })],
  loadBalancer: ['stratgy', (api) => api.loadBalancer({ backends: [], stratgy: 'random' })],
  fallback: ['nmae', (api) => api.fallback([() => 1], { nmae: 'fb' })],
  hedge: ['maxAttempt', (api) => api.hedge({ delay: '1s', maxAttempt: 2 })],
  cache: ['tl', (api) => api.cache({ tl: '1s' })],
  policiesFromConfig: [
    'provder',
    (api) => api.policiesFromConfig(api.parseAgentflowConfig(''), { provder: 'openai' }),
  ],
  // faults.*
  'faults.errors': ['rat', (api) => api.faults.errors({ rat: 1 })],
  'faults.latency': ['median', (api) => api.faults.latency({ median: '1s' })],
  'faults.hang': ['rte', (api) => api.faults.hang({ rte: 1 })],
  'faults.timeout': ['aftr', (api) => api.faults.timeout({ aftr: '1s' })],
  'faults.outage': ['durration', (api) => api.faults.outage({ at: 0, for: '1s', durration: '1s' })],
  'faults.flapping': ['perid', (api) => api.faults.flapping({ period: '2s', downFor: '1s', perid: 1 })],
  'faults.rateLimit': ['limt', (api) => api.faults.rateLimit({ limit: 1, per: '1s', limt: 2 })],
  'faults.overloaded': ['rte', (api) => api.faults.overloaded({ rte: 1 })],
  'faults.reset': ['cdoe', (api) => api.faults.reset({ cdoe: 'ECONNRESET' })],
  'faults.responseLost': ['rte', (api) => api.faults.responseLost({ rate: 1, rte: 1 })],
  'faults.degrade': ['ovr', (api) => api.faults.degrade({ from: 0, to: '1s', over: '1m', ovr: 1 })],
  'faults.when': ['afterCall', (api) => api.faults.when({ afterCall: 1 }, api.faults.hang())],
  'faults.swarm': ['enabled', (api) => api.faults.swarm({ enabled: 0.5 })],
  'faults.streamError': ['afterChunk', (api) => api.faults.streamError({ afterChunks: 1, afterChunk: 1 })],
  'faults.stall': ['afterChunk', (api) => api.faults.stall({ afterChunks: 1, afterChunk: 1 })],
  'faults.truncate': ['afterChunk', (api) => api.faults.truncate({ afterChunks: 1, afterChunk: 1 })],
  'faults.slowStream': ['tokensPerSec', (api) => api.faults.slowStream({ tokensPerSec: 5 })],
  'faults.malformed': ['kinds', (api) => api.faults.malformed({ rate: 1, kinds: ['html'] })],
  'faults.finishReason': ['reasn', (api) => api.faults.finishReason({ rate: 1, reason: 'length', reasn: 1 })],
  'faults.emptyContent': ['rte', (api) => api.faults.emptyContent({ rate: 1, rte: 1 })],
  'faults.invalidToolCall': ['rte', (api) => api.faults.invalidToolCall({ rate: 1, rte: 1 })],
  // dist.* with options objects
  'dist.normal': ['stdev', (api) => api.dist.normal({ mean: '1s', stdev: '1s' })],
  'dist.lognormal': ['p9', (api) => api.dist.lognormal({ median: '1s', p9: '5s' })],
  'dist.pareto': ['alpah', (api) => api.dist.pareto({ min: '1s', alpah: 2 })],
  // sim.*
  'sim.breaker': ['failureTreshold', (_, sim) => sim.breaker('b', { failureTreshold: 1 } as never)],
  'sim.retry': ['maxRetires', (_, sim) => sim.retry('r', { maxRetires: 0 } as never)],
  'sim.bulkhead': ['maxConcurent', (_, sim) => sim.bulkhead('b', { maxConcurent: 1 } as never)],
  'sim.rateLimiter': ['brust', (_, sim) => sim.rateLimiter('r', { rate: '1/s', brust: 2 } as never)],
  'sim.loadBalancer': [
    'stratgy',
    (_, sim) => sim.loadBalancer('l', { backends: [{ name: 'a' }], stratgy: 'random' } as never),
  ],
  'sim.hedge': ['maxAttempt', (_, sim) => sim.hedge('h', { delay: 1, maxAttempt: 2 } as never)],
  'sim.cache': ['maxEntry', (_, sim) => sim.cache('c', { ttl: 1, maxEntry: 2 } as never)],
  'sim.timeout': ['mdoe', (_, sim) => sim.timeout('t', '1s', { mdoe: 'cooperative' } as never)],
  'sim.service': [
    'fault',
    (api, sim) => sim.service('db', { fault: [api.faults.errors({ rate: 1 })], handle: () => 1 } as never),
  ],
  'sim.llm': ['tokensPerSec', (_, sim) => sim.llm('m', { provider: 'openai', tokensPerSec: 5 } as never)],
  'sim.spawn': ['allowFailur', (_, sim) => sim.spawn('s', async () => {}, { allowFailur: true } as never)],
  'sim.agent': ['timout', (_, sim) => sim.agent('a', () => 1, { timout: '1s' } as never)],
  'sim.parallel': [
    'failureTreshold',
    (_, sim) => sim.parallel([sim.agent('p', () => 1)], 1, { failureTreshold: 1 } as never),
  ],
  'sim.loop': [
    'maxIteration',
    (_, sim) =>
      sim.loop(
        sim.agent('l', () => 1),
        1,
        { maxIteration: 2 } as never,
      ),
  ],
  'sim.mixed': [
    'sequentail',
    (_, sim) =>
      sim.mixed({ collaborative: [sim.agent('m1', () => 1)], sequential: [], sequentail: [] } as never, 1),
  ],
  'sim.workload.poisson': [
    'durration',
    (_, sim) => sim.workload.poisson({ rate: '1/s', for: '1s', durration: 1 } as never, () => {}),
  ],
  'sim.workload.closed': [
    'user',
    (_, sim) => sim.workload.closed({ users: 1, thinkTime: 0, for: '1s', user: 1 } as never, () => {}),
  ],
  'sim.workload.burst': [
    'spaceing',
    (_, sim) => sim.workload.burst({ count: 1, spaceing: 1 } as never, () => {}),
  ],
  'sim.workload.ramp': [
    'ovr',
    (_, sim) => sim.workload.ramp({ from: '1/s', to: '2/s', over: '1s', ovr: 1 } as never, () => {}),
  ],
};

/** A matcher's `this` and a result-shaped value (an empty trace). */
const matcherThis = { isNot: false, equals: Object.is };
const runOf = () => ({ seed: 1, outcome: 'ok', rerun: '', stats: {}, trace: new Trace() });

/** Exported functions (and namespaces) that take no options object, and why. */
const NO_OPTIONS: Record<string, string> = {
  loadAgentflowConfig: 'takes a path (checked: a non-string is a ConfigError)',
  duration: 'parses one value',
  formatDuration: 'formats one value',
  ratePerMs: 'parses one value',
  seededRandom: 'takes a seed',
  pipeline: 'takes policies',
  readPropertyFailure: 'takes a path',
  savedFailures: 'takes a name and a directory',
  writePropertyFailure: 'takes a recorded failure',
  describeViolation: 'formats a violation',
  traceExcerpt: 'formats part of a trace',
  isFaultSpec: 'a type guard',
  reviveFaults: 'converts recorded fault specs',
  'arb.breakerConfig': 'no options',
  'arb.bulkheadConfig': 'no options',
  'arb.rateLimiterConfig': 'no options',
  'arb.hedgeConfig': 'no options',
  'arb.latency': 'no options',
  fc: 'fast-check, re-exported as is',
  at: 'builds a violation location from an event',
  violation: 'builds a violation',
  'invariants.timeout': 'no options',
  'invariants.bulkhead': 'no options',
  'invariants.rateLimiter': 'no options',
  'invariants.loadBalancer': 'no options',
  'invariants.hedge': 'no options',
  'invariants.accounting': 'no options',
  'invariants.noLeaks': 'no options',
  'invariants.noSilentFailures': 'no options',
  'invariants.define': 'takes a name and a check',
  'invariants.all': 'no options',
  'sim.heal': 'no arguments',
  isScenario: 'a type guard',
  isSimulationResult: 'a type guard',
  'matchers.toHaveBreakerState': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveBreakerTransitions':
    'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveRejectedCalls': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveHonoredRetryAfter':
    'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveCalledService': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveInjectedFault': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveCompletedWithin':
    'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toSatisfyInvariants': 'takes invariants, each checked (ConfigError)',
  'matchers.toHaveSucceeded': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveFailedWith': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toHaveFallenBackTo': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  'matchers.toBeDeterministic': 'a matcher: its arguments are compared values, each checked (ConfigError)',
  summarize: 'takes a run, a trace or events',
  toChromeTrace: 'takes a run, a trace or events',
  'sim.withSwarm': 'private',
  'sim.live': 'private',
  'sim.end': '@internal (simulate calls it when the run ends)',
  'sim.bound': 'private',
  'sim.fallback': 'takes a name and steps (each step checked)',
  performanceScore: 'pure arithmetic',
  loadBalancerOptionsFromConfig: 'converts a parsed (validated) config',
  loadBalancerEnabled: 'reads a parsed config',
  backendBreakersEnabled: 'reads a parsed config',
  isEvent: 'a type guard',
  isFault: 'a type guard',
  isRejection: 'a type guard',
  classifyError: 'classifies a value',
  errorStatus: 'reads a value',
  errorHeaders: 'reads a value',
  parseRetryAfter: 'parses header values',
  exponentialDelay: 'pure arithmetic over a validated policy',
  jitteredDelay: 'pure arithmetic over a validated policy',
  breakerEnabled: 'reads a parsed config',
  retryEnabled: 'reads a parsed config',
  breakerOptionsFromConfig: 'converts a parsed (validated) config',
  retryOptionsFromConfig: 'converts a parsed (validated) config',
  defineFault: 'builds a fault from a decision function',
  'dist.constant': 'takes a value',
  'dist.uniform': 'takes two values',
  'dist.exponential': 'takes a value',
  'dist.empirical': 'takes samples',
  mathRandom: 'a Random instance, not a namespace of factories',
  realClock: 'a Clock instance',
  nullSink: 'a TraceSink instance',
  'sim.http': 'takes a base URL and a target (both checked)',
  'sim.sequential': 'takes agents and an input',
  'sim.route': 'takes a key and a table of agents',
  'sim.now': 'no arguments',
  'sim.sleep': 'takes a duration and a signal',
  'sim.emit': 'records a user event with free-form data',
  'sim.serviceContext': 'private',
};

/** Every entry point's source module, from package.json `exports`. */
function entryPoints(): string[] {
  const exports = JSON.parse(readFileSync('package.json', 'utf8')).exports as Record<string, unknown>;
  return Object.values(exports).flatMap((target) => {
    const file = typeof target === 'string' ? target : (target as { default?: string }).default;
    const m = file?.match(/^\.\/dist\/(.+)\.js$/);
    return m ? [`../../src/${m[1]}.ts`] : [];
  });
}

async function publicApi(): Promise<Api> {
  const api: Api = {};
  for (const path of entryPoints()) Object.assign(api, await import(path));
  return api;
}

function factoryNames(api: Api, sim: Sim): string[] {
  const names: string[] = [];
  // Functions, and the functions of namespace objects (`faults.*`, `invariants.liveness.*`), by path.
  const walk = (prefix: string, entries: [string, unknown][], depth: number) => {
    for (const [key, value] of entries) {
      const name = `${prefix}${key}`;
      if (!/^[a-z]/.test(key)) continue;
      if (typeof value === 'function') names.push(name);
      else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        if (name in NO_OPTIONS) names.push(name);
        else if (depth < 2) walk(`${name}.`, Object.entries(value), depth + 1);
      }
    }
  };
  walk('', Object.entries(api), 0);
  const proto = Object.getPrototypeOf(sim) as object;
  for (const key of Object.getOwnPropertyNames(proto)) {
    const method = Object.getOwnPropertyDescriptor(proto, key)?.value;
    if (key !== 'constructor' && typeof method === 'function') names.push(`sim.${key}`);
  }
  for (const key of Object.keys(sim.workload)) names.push(`sim.workload.${key}`);
  return names;
}

async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('strict options', () => {
  it('has a misspelt-key case (or a reason) for every public factory, and no stale entries', async () => {
    const api = await publicApi();
    const { simulate } = await import('../../src/index.js');
    let names: string[] = [];
    const result = await simulate({ seed: 1 }, (sim) => {
      names = factoryNames(api, sim);
    });
    expect(result.error).toBeUndefined();
    const missing = names.filter((n) => !(n in CASES) && !(n in NO_OPTIONS));
    expect(missing, 'exported factories without a case in test/options/strict-options.test.ts').toEqual([]);
    const stale = [...Object.keys(CASES), ...Object.keys(NO_OPTIONS)].filter((n) => !names.includes(n));
    expect(stale, 'entries naming no export').toEqual([]);
  });

  it('every public factory rejects a misspelt key with a ConfigError naming it', async () => {
    const api = await publicApi();
    const errors: Record<string, unknown> = {};
    const run = async (name: string, sim: Sim) => {
      const [typo, call] = CASES[name]!;
      errors[name] = await failure(() => call(api, sim));
      const error = errors[name];
      expect(error, name).toBeInstanceOf(ConfigError);
      expect((error as Error).message, name).toContain(typo);
    };
    for (const name of Object.keys(CASES).filter((n) => !n.startsWith('sim.')))
      await run(name, undefined as never);
    const result = await api.simulate({ seed: 1 }, async (sim: Sim) => {
      for (const name of Object.keys(CASES).filter((n) => n.startsWith('sim.'))) await run(name, sim);
    });
    expect(result.error).toBeUndefined();
  });
});

describe('bad option values', () => {
  const configError = async (call: () => unknown, pattern: RegExp) => {
    const error = await failure(call);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('a null or non-object options argument is a ConfigError, not a TypeError', async () => {
    const api = await publicApi();
    await configError(() => api.circuitBreaker(null), /circuitBreaker\(options\): got null/);
    await configError(() => api.retry(null), /retry\(options\): got null/);
    await configError(() => api.timeout('1s', 5), /timeout\(options\): got 5/);
    await configError(() => api.retryBudget('big'), /retryBudget\(options\)/);
    await configError(() => api.parseAgentflowConfig(5), /parseAgentflowConfig\(text\): got 5/);
    await configError(() => api.loadAgentflowConfig(undefined), /loadAgentflowConfig\(path\)/);
  });

  it('booleans are type-checked', async () => {
    const api = await publicApi();
    await configError(
      () => api.circuitBreaker({ countBrokenCircuit: 'yes' }),
      /countBrokenCircuit.*got "yes"; expected true or false/,
    );
    await configError(
      () => api.retry({ retryBrokenCircuit: 1 }),
      /retryBrokenCircuit.*got 1; expected true or false/,
    );
    await configError(() => api.simulate({ checkDeterminism: 'true' }, () => {}), /checkDeterminism/);
  });

  it('a duration that overflows to Infinity is rejected', async () => {
    const api = await publicApi();
    const huge = `${'9'.repeat(400)}ms`;
    await configError(() => api.duration(huge), /got "9{10}/);
    await configError(() => api.circuitBreaker({ timeout: huge }), /timeout/);
    await configError(() => api.faults.outage({ at: 0, for: huge }), /faults\.outage\(\{ for \}\)/);
  });

  it('a startTime beyond the Date range is rejected', async () => {
    const api = await publicApi();
    await configError(
      () => api.simulate({ startTime: 8.64e15 + 1 }, () => {}),
      /simulate\(\{ startTime \}\).*Date range/,
    );
    const ok = await api.simulate({ startTime: 8.64e15 }, () => Date.now());
    expect(ok.value).toBe(8.64e15);
  });
});

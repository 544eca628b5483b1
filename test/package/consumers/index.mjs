// `faultline` from the installed tarball: the contract names exist, a run with a service,
// a breaker, a retry and the HTTP bridge works and replays to the same hash, globals come back.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  BrokenCircuitError,
  ConfigError,
  circuitBreaker,
  dist,
  duration,
  faults,
  loadAgentflowConfig,
  NonDeterminismError,
  RetryExhaustedError,
  retry,
  SimulationDeadlockError,
  SimulationError,
  simulate,
  TimeoutError,
  timeout,
} from 'faultline';

for (const fn of [circuitBreaker, retry, timeout, simulate, loadAgentflowConfig, duration])
  assert.equal(typeof fn, 'function');
for (const E of [
  BrokenCircuitError,
  TimeoutError,
  RetryExhaustedError,
  SimulationDeadlockError,
  NonDeterminismError,
])
  assert.ok(E.prototype instanceof Error, E.name);
assert.equal(duration('1m30s'), 90_000);
assert.throws(() => duration('soon'), ConfigError);

const realFetch = globalThis.fetch;
const realDateNow = Date.now;

const scenario = async (sim) => {
  const llm = sim.service('llm', {
    latency: dist.lognormal({ median: '200ms', p99: '2s' }),
    faults: [faults.errors({ rate: 0.3, status: 503 })],
    handle: (req) => ({ text: `answer: ${req.prompt}` }),
  });
  const breaker = sim.breaker('llm', { failureThreshold: 3, timeout: '10s' });
  const policy = sim.retry('llm', { maxRetries: 2, baseDelay: '100ms', jitter: 'full' });
  sim.http('https://echo.test', (request) => new Response(`echo ${new URL(request.url).pathname}`));
  const echoed = await (await fetch('https://echo.test/hello')).text();
  let ok = 0;
  for (let i = 0; i < 20; i++) {
    await policy
      .execute(() => breaker.execute(() => llm.call({ prompt: `q${i}` })))
      .then(
        () => ok++,
        () => {},
      );
  }
  return { echoed, ok, at: sim.now() };
};

const a = await simulate({ seed: 7 }, scenario);
const b = await simulate({ seed: 7 }, scenario);
assert.equal(a.outcome, 'ok', String(a.error));
assert.equal(a.value.echoed, 'echo /hello');
assert.ok(a.value.ok > 0 && a.value.at > 0);
assert.equal(a.trace.hash, b.trace.hash);
assert.deepEqual(a.value, b.value);
assert.deepEqual(a.unwrap(), a.value);
assert.match(a.rerun, /FAULTLINE_SEED=7/);
assert.equal(globalThis.fetch, realFetch);
assert.equal(Date.now, realDateNow);

const stuck = await simulate({ seed: 1 }, () => new Promise(() => {})).catch((e) => e);
assert.ok(stuck instanceof SimulationDeadlockError && stuck instanceof SimulationError, String(stuck));
assert.equal(Date.now, realDateNow);

writeFileSync(
  'agentflow.toml',
  '[error_routing.circuit_breaker]\nfailure_threshold = 4\ntimeout_ms = 5000\n',
);
const config = await loadAgentflowConfig('agentflow.toml');
assert.equal(config.errorRouting?.circuitBreaker?.failureThreshold, 4);
assert.equal(config.errorRouting?.circuitBreaker?.timeoutMs, 5000);

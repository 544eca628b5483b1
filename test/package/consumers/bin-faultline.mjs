// The `faultline` bin from the installed tarball: a TypeScript scenario file (no build step)
// runs, fails with exit code 1 for a failing seed, replays to the same hash, and writes a report.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isScenario, scenario, summarize } from 'faultline';

assert.equal(typeof summarize, 'function');
assert.ok(isScenario(scenario('x', () => {})));

mkdirSync('scenarios', { recursive: true });
writeFileSync(
  'scenarios/storm.ts',
  `import { faults, scenario, type Sim } from 'faultline';
const body = async (sim: Sim): Promise<void> => {
  const llm = sim.service('llm', { latency: 100, faults: [faults.errors({ rate: 0.3, status: 503 })], handle: () => 'ok' });
  const retry = sim.retry('llm', { maxRetries: 1, baseDelay: '1s', jitter: 'none' });
  await sim.workload.burst({ count: 5, spacing: '1s' }, () => retry.execute(() => llm.call({})));
  if (sim.random.next() < 0.5) throw new Error('unlucky');
};
export default scenario('storm', body);
`,
);
const bin = 'node_modules/.bin/faultline';
assert.ok(existsSync(bin), 'the package installs a faultline bin');
const run = (args) => spawnSync(bin, args, { encoding: 'utf8' });
const results = [1, 2, 3, 4, 5, 6].map((seed) => ({
  seed,
  r: run(['run', 'scenarios/storm.ts', '--seed', String(seed)]),
}));
for (const { r } of results) assert.ok(r.status === 0 || r.status === 1, r.stderr);
const failing = results.find(({ r }) => r.status === 1);
const passing = results.find(({ r }) => r.status === 0);
assert.ok(failing && passing, 'some seeds fail and some pass');
assert.match(failing.r.stdout, /failure: Error: unlucky/);
const hash = (out) => /hash ([0-9a-f]{16})/.exec(out)[1];
const replay = run(['replay', 'scenarios/storm.ts', '--seed', String(failing.seed)]);
assert.equal(replay.status, 1);
assert.equal(hash(replay.stdout), hash(failing.r.stdout));
execFileSync(bin, ['run', 'scenarios/storm.ts', '--seed', String(passing.seed), '--trace', 'out/t.jsonl']);
execFileSync(bin, ['report', 'out/t.jsonl', '-o', 'out/report.html']);
assert.match(readFileSync('out/report.html', 'utf8'), /<svg id="timeline"/);
assert.match(execFileSync(bin, ['--help'], { encoding: 'utf8' }), /Usage: faultline/);

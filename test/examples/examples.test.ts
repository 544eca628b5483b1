import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = ['--import', 'tsx'];

/** The README's code blocks marked `<!-- example: path -->` must be the example files verbatim. */
function readmeExamples(): { path: string; code: string }[] {
  const readme = readFileSync('README.md', 'utf8');
  const out: { path: string; code: string }[] = [];
  const re = /<!-- example: (\S+) -->\s*```ts\n([\s\S]*?)```/g;
  for (let m = re.exec(readme); m; m = re.exec(readme)) out.push({ path: m[1]!, code: m[2]! });
  return out;
}

describe('examples', () => {
  it('the README shows the example files verbatim', () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThan(0);
    for (const { path, code } of examples) expect(code).toBe(readFileSync(path, 'utf8'));
  });

  it('the quickstart runs and is reproducible from its seed', async () => {
    const a = await run(process.execPath, [...tsx, 'examples/quickstart.ts']);
    const b = await run(process.execPath, [...tsx, 'examples/quickstart.ts']);
    expect(a.stdout).toMatch(/^seed 42, \d+ events, virtual time \d+(\.\d+)? ms/);
    expect(a.stdout).toContain('agent.answer');
    expect(a.stdout).toBe(b.stdout);
  }, 60_000);

  it('the demo prints seed, timeline and summary, and replays from FAULTLINE_SEED', async () => {
    const env = { ...process.env, FAULTLINE_SEED: '77' };
    const a = await run(process.execPath, [...tsx, 'examples/demo.ts'], { env });
    const b = await run(process.execPath, [...tsx, 'examples/demo.ts'], { env });
    expect(a.stdout).toContain('seed 77');
    expect(a.stdout).toContain('summary');
    expect(a.stdout).toMatch(/breaker\.state\s+llm\s+from=closed reason=\S+ to=open/);
    expect(a.stdout).toMatch(
      /questions\s+\d+: \d+ answered live, \d+ answered from the cache while the LLM\n\s+breaker was open \(status=success llm=cached\), \d+ partial_success \(web_search down\), 0 failed/,
    );
    expect(a.stdout).toMatch(/breaker\s+open@.*closed@/);
    const strip = (s: string) => s.replace(/in \d+ ms of wall time/, '');
    expect(strip(a.stdout)).toBe(strip(b.stdout));
  }, 60_000);
});

describe('README world example', () => {
  it('examples/llm-outage.ts runs: the outage trips the breaker and every request is accounted for', async () => {
    const { stdout } = await run(process.execPath, [...tsx, 'examples/llm-outage.ts']);
    const m = /seed 42: (\d+) requests, (\d+) ok, (\d+) failed, (\d+) rejected/.exec(stdout);
    expect(m).not.toBeNull();
    const [started, ok, failed, rejected] = m!.slice(1).map(Number);
    expect(ok! + failed! + rejected!).toBe(started);
    expect(stdout).toMatch(
      /\+10m[\d.]+s\s+#\d+\s+breaker\.state\s+llm\s+from=closed reason=failure-threshold to=open/,
    );
  }, 60_000);
});

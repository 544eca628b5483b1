import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html-report.js';
import flaky from '../cli/fixtures/flaky-llm.js';

/*
 * The HTML report in a real headless Chromium (Debian's, which .ci/run
 * installs). No Chromium is a test failure, never a skip.
 */

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'faultline-report-'));
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`,
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTML report in Chromium', () => {
  it('loads with no console errors and no requests, with swimlanes, breaker bands, markers and tables', async () => {
    const result = await flaky.run({ seed: 7 });
    const file = join(dir, 'report.html');
    writeFileSync(
      file,
      renderHtmlReport(result.trace.events, {
        invariants: [
          { name: 'breaker', violations: [] },
          { name: 'example', violations: [{ message: 'expected 1, got 2', event: { seq: 10, t: 1500 } }] },
        ],
      }),
    );
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(`file://${file}`);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe('flaky llm — faultline report');
    // A swimlane per workload, agent, service, breaker and retry policy.
    const tracks = await page
      .locator('#timeline g.track')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-track')}:${e.getAttribute('data-actor')}`),
      );
    expect(tracks).toEqual([
      'workload:workload:poisson#1',
      'agent:researcher',
      'service:llm',
      'breaker:llm',
      'retry:llm',
    ]);
    expect(await page.locator('#timeline rect.span.ok').count()).toBeGreaterThan(50);
    expect(await page.locator('#timeline rect.span.error').count()).toBeGreaterThan(0);
    expect(await page.locator('#timeline rect.band.open').count()).toBeGreaterThan(0);
    expect(await page.locator('#timeline rect.band.half-open').count()).toBeGreaterThan(0);
    expect(await page.locator('#timeline g.marker.fault').count()).toBeGreaterThan(0);
    expect(await page.locator('#timeline g.marker.retry').count()).toBeGreaterThan(0);
    expect(await page.locator('figure.latency[data-service="llm"] rect.bar').count()).toBe(30);
    expect(await page.locator('#services tbody tr').count()).toBe(1);
    expect(await page.locator('#invariants tr.fail td').first().textContent()).toBe('example');
    // Following one request: typing its id highlights its spans and markers, dims the rest.
    await page.fill('#req-filter', 'req-40');
    expect(await page.locator('#timeline .hl').count()).toBeGreaterThan(1);
    expect(await page.locator('#timeline .span.dim').count()).toBeGreaterThan(50);
    expect(await page.locator('#req-info').textContent()).toMatch(/^\d+ timeline elements for req-40$/);
    const box = await page.locator('#timeline').boundingBox();
    expect(box!.width).toBeGreaterThan(1000);
    await page.screenshot({ path: join(tmpdir(), 'faultline-report.png'), fullPage: true });
    await page.close();
  }, 60_000);
});

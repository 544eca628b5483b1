/*
 * Cost of the network boundary: a request through `node:http` (http.get,
 * axios) against the same request through `fetch`, both answered by a
 * `sim.http` route inside one run; and installing + restoring the globals
 * with the boundary (fetch, node:http interception, socket guard) against
 * time and randomness alone. Alternating rounds in one process; read the
 * ratios, not the absolute numbers.
 *
 * Run: npx tsx bench/http-boundary.ts
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import axios from 'axios';
import { seededRandom, simulate } from '../src/index.js';
import { installGlobals } from '../src/simulators/kernel/global-patch.js';
import { realPerformanceNow } from '../src/simulators/kernel/real-globals.js';
import { VirtualClock } from '../src/simulators/kernel/virtual-clock.js';

const REQUESTS = 300;
const ROUNDS = 5;
const INSTALLS = 2_000;

type Client = () => Promise<unknown>;

const viaFetch: Client = async () => (await fetch('http://svc.test/x')).text();
const viaHttpGet: Client = () =>
  new Promise((resolve, reject) => {
    http
      .get('http://svc.test/x', (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
const viaAxios: Client = () => axios.get('http://svc.test/x');

/** Real ms for REQUESTS sequential requests with `client` inside one run. */
async function timeRun(client: Client): Promise<number> {
  const result = await simulate({ seed: 1 }, async (sim) => {
    sim.http('http://svc.test', () => new Response('ok'));
    // performance.now() is virtual inside a run.
    const start = realPerformanceNow();
    for (let i = 0; i < REQUESTS; i++) await client();
    return realPerformanceNow() - start;
  });
  if (result.error) throw result.error;
  return result.value!;
}

function timeInstalls(network: boolean): number {
  const start = performance.now();
  for (let i = 0; i < INSTALLS; i++) {
    const patch = installGlobals(
      new VirtualClock(),
      seededRandom(1),
      0,
      network ? { fetch: viaFetch as never } : {},
    );
    patch.restore();
  }
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  const clients: [string, Client][] = [
    ['fetch', viaFetch],
    ['http.get', viaHttpGet],
    ['axios.get', viaAxios],
  ];
  for (const [, client] of clients) await timeRun(client);
  const times = new Map<string, number[]>(clients.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? clients : [...clients].reverse();
    for (const [name, client] of order) times.get(name)!.push(await timeRun(client));
  }
  const perRequest = (name: string) => (median(times.get(name)!) / REQUESTS) * 1000;
  const anchor = perRequest('fetch');
  for (const [name] of clients) {
    console.log(
      `${name.padEnd(10)} ${perRequest(name).toFixed(0).padStart(6)} µs/request   ratio to fetch ${(perRequest(name) / anchor).toFixed(2)}x`,
    );
  }

  timeInstalls(false);
  timeInstalls(true);
  const without: number[] = [];
  const withNet: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    without.push(timeInstalls(false));
    withNet.push(timeInstalls(true));
  }
  const a = (median(without) / INSTALLS) * 1000;
  const b = (median(withNet) / INSTALLS) * 1000;
  console.log(
    `install+restore: time only ${a.toFixed(0)} µs, with the network boundary ${b.toFixed(0)} µs   ratio ${(b / a).toFixed(2)}x`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}

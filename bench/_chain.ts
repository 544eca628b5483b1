import { simulate } from '../src/index.js';
const N = Number(process.argv[2] ?? 5000);
const body = async (sim: any) => { for (let i = 0; i < 200; i++) { await sim.sleep(20); await sim.sleep(10); } };
for (let i = 0; i < 500; i++) await simulate({ seed: i }, body);
const c = process.cpuUsage(); const t = performance.now();
for (let i = 0; i < N; i++) await simulate({ seed: i }, body);
const u = process.cpuUsage(c);
console.log('bare chain simulate µs CPU', ((u.user + u.system) / N).toFixed(1), 'wall', ((performance.now() - t) * 1000 / N).toFixed(1));

/*
 * The seed's cascading-failure anti-pattern: a checkout service calls two
 * dependencies, `inventory` and `pricing`. From 2m to 6m inventory hangs for 20 s
 * per call. With one shared connection pool, inventory's stuck calls hold every
 * slot and the healthy pricing path fails with it. With a bulkhead per
 * dependency and a breaker (with a 1 s timeout) in front of inventory, the
 * pricing path keeps a success rate above 99%. Prints both.
 *
 * Run: npx tsx examples/cascading-failure.ts
 */
import { pathToFileURL } from 'node:url';
import { faults, pipeline, type Sim, simulate } from 'faultline';

export interface PathRates {
  /** Success rate of the healthy path (pricing). */
  pricing: number;
  /** Success rate of the slow path (inventory). */
  inventory: number;
  requests: number;
}

export async function cascadingFailure(sim: Sim, isolated: boolean): Promise<PathRates> {
  const inventory = sim.service('inventory', {
    latency: '40ms',
    faults: [faults.when({ between: ['2m', '6m'] }, faults.latency('20s'))],
    handle: (sku: string) => ({ sku, inStock: true }),
  });
  const pricing = sim.service('pricing', { latency: '30ms', handle: (sku: string) => ({ sku, price: 10 }) });

  let callInventory: (sku: string) => Promise<unknown>;
  let callPricing: (sku: string) => Promise<unknown>;
  if (isolated) {
    const inventoryPolicy = pipeline(
      sim.bulkhead('inventory-pool', { maxConcurrent: 10, maxQueue: 10 }),
      sim.breaker('inventory', { failureThreshold: 5, successThreshold: 2, timeout: '10s' }),
      sim.timeout('inventory', '1s'),
    );
    const pricingPool = sim.bulkhead('pricing-pool', { maxConcurrent: 10, maxQueue: 10 });
    callInventory = (sku) => inventoryPolicy.execute((signal) => inventory.call(sku, { signal }));
    callPricing = (sku) => pricingPool.execute((signal) => pricing.call(sku, { signal }));
  } else {
    const shared = sim.bulkhead('shared-pool', { maxConcurrent: 20, maxQueue: 20 });
    callInventory = (sku) => shared.execute((signal) => inventory.call(sku, { signal }));
    callPricing = (sku) => shared.execute((signal) => pricing.call(sku, { signal }));
  }
  const checkout = sim.agent(
    'checkout',
    (i: number) => (i % 2 === 0 ? callPricing(`sku-${i}`) : callInventory(`sku-${i}`)),
    { timeout: '2s' },
  );
  const outcome = { pricing: [0, 0], inventory: [0, 0] };
  const load = await sim.workload.poisson({ rate: '20/s', for: '8m' }, async (i) => {
    const path = i % 2 === 0 ? outcome.pricing : outcome.inventory;
    path[1]!++;
    await checkout.run(i);
    path[0]!++;
  });
  return {
    pricing: outcome.pricing[0]! / outcome.pricing[1]!,
    inventory: outcome.inventory[0]! / outcome.inventory[1]!,
    requests: load.started,
  };
}

/** Runs both designs (seed 7) and returns the report. */
export async function cascadingFailureExample(): Promise<string> {
  const lines: string[] = [];
  for (const isolated of [false, true]) {
    const result = await simulate({ name: 'cascading-failure', seed: 7 }, (sim) =>
      cascadingFailure(sim, isolated),
    );
    if (result.error) throw result.error;
    const v = result.value!;
    const label = isolated ? 'bulkhead per dependency + breaker' : 'one shared pool';
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    lines.push(
      `${label.padEnd(34)} healthy path (pricing) ${pct(v.pricing)} ok; slow path (inventory) ${pct(v.inventory)} ok; ${v.requests} requests`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await cascadingFailureExample());
}

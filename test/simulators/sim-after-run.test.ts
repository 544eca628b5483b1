import { describe, expect, it } from 'vitest';
import { type Sim, SimulationError, simulate } from '../../src/index.js';

/** Every public method of `sim`, called as a user would, each with valid arguments. */
const calls: Record<string, (sim: Sim) => unknown> = {
  breaker: (sim) => sim.breaker('llm'),
  retry: (sim) => sim.retry('llm'),
  timeout: (sim) => sim.timeout('llm', '1s'),
  service: (sim) => sim.service('db', { handle: () => 1 }),
  llm: (sim) => sim.llm('openai', { provider: 'openai' }),
  http: (sim) => sim.http('https://x.test', () => new Response('hi')),
  agent: (sim) => sim.agent('a', () => 1),
  sequential: (sim) => sim.sequential([], 1),
  parallel: (sim) => sim.parallel([], 1),
  route: (sim) => sim.route('kind', {}),
  loop: (sim) => sim.loop({} as never, 1),
  mixed: (sim) => sim.mixed({ collaborative: [], sequential: [] }, 1),
  bulkhead: (sim) => sim.bulkhead('pool', { maxConcurrent: 1 }),
  rateLimiter: (sim) => sim.rateLimiter('rl', { rate: '1/s' }),
  loadBalancer: (sim) => sim.loadBalancer('lb', { backends: [{ name: 'a' }], strategy: 'round_robin' }),
  fallback: (sim) => sim.fallback('fb', [['only', () => 1]]),
  hedge: (sim) => sim.hedge('h', { delay: '1s' }),
  cache: (sim) => sim.cache('c', { ttl: '1s' }),
  heal: (sim) => sim.heal(),
  now: (sim) => sim.now(),
  sleep: (sim) => sim.sleep('1s'),
  emit: (sim) => sim.emit('late'),
  spawn: (sim) => sim.spawn('late', async () => 1),
  'workload.poisson': (sim) => sim.workload.poisson({ rate: '1/s', for: '1s' }, async () => {}),
  'workload.closed': (sim) => sim.workload.closed({ users: 1, thinkTime: '1s', for: '1s' }, async () => {}),
  'workload.burst': (sim) => sim.workload.burst({ count: 2 }, async () => {}),
};

/** Sim's private methods (TypeScript `private` is not visible at run time). */
const PRIVATE = ['live', 'bound', 'serviceContext', 'withSwarm'];

describe('a sim kept past its run', () => {
  it('throws a SimulationError from every method, naming it, instead of hanging', async () => {
    let saved: Sim | undefined;
    await simulate({ seed: 11 }, (sim) => {
      saved = sim;
    });
    const methods = Object.keys(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(saved))).filter(
      (m) => m !== 'constructor' && typeof (saved as any)[m] === 'function' && m !== 'end',
    );
    // A new public method of Sim needs `this.live('<name>')` first and an entry in `calls`;
    // a new private one goes in PRIVATE.
    const publicMethods = methods.filter((m) => !PRIVATE.includes(m));
    expect(publicMethods.sort(), 'public methods of Sim').toEqual(
      Object.keys(calls)
        .filter((m) => !m.includes('.'))
        .sort(),
    );
    for (const [name, call] of Object.entries(calls)) {
      let thrown: unknown;
      try {
        await call(saved!);
      } catch (e) {
        thrown = e;
      }
      expect(SimulationError.is(thrown), name).toBe(true);
      expect((thrown as Error).message).toContain(`sim.${name}() was called after its run (seed 11) ended`);
    }
  });

  it('leaves the next run unaffected', async () => {
    let saved: Sim | undefined;
    await simulate({ seed: 1 }, (sim) => {
      saved = sim;
    });
    const next = await simulate({ seed: 1 }, async (sim) => {
      expect(() => saved!.sleep(5)).toThrow(SimulationError);
      await sim.sleep('1s');
      return sim.now();
    });
    expect(next.unwrap()).toBe(1000);
  });
});

/*
 * Test wiring for the HTTP bridge: runs `simulate` and hands the body an `http`
 * function that routes a base URL. When `Sim` has its own `http` (the bridge
 * wired into the kernel) that one is used; until then the bridge is created
 * here and installed with `installFetch` (what `installGlobals` does) for the
 * duration of the body.
 */

import { type SimulateOptions, type SimulationResult, simulate } from '../../src/index.js';
import { createHttpBridge, type HttpRoute } from '../../src/simulators/http/bridge.js';
import type { HttpRouteTarget } from '../../src/simulators/http/target.js';
import { installFetch } from '../../src/simulators/kernel/global-patch.js';
import type { Sim } from '../../src/simulators/sim.js';

export type RouteFn = (baseUrl: string, target: HttpRouteTarget) => HttpRoute;

export async function simulateHttp<T>(
  options: SimulateOptions,
  body: (sim: Sim, http: RouteFn) => Promise<T>,
): Promise<SimulationResult<T>> {
  let restore: (() => void) | undefined;
  const unpatch = () => {
    restore?.();
    restore = undefined;
  };
  try {
    return await simulate(options, async (sim) => {
      const native = (sim as unknown as { http?: RouteFn }).http;
      if (typeof native === 'function') return body(sim, native.bind(sim));
      const bridge = createHttpBridge({ trace: sim.trace, clock: sim.clock });
      restore = installFetch(bridge.fetch);
      try {
        return await body(sim, bridge.route);
      } finally {
        unpatch();
      }
    });
  } finally {
    // A run that deadlocks never settles its body: put fetch back anyway.
    unpatch();
  }
}

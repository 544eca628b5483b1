/*
 * The user's own msw handlers inside a run. `setupServer(...handlers).listen()`
 * registers one `'request'` listener on each of the interceptors it applies,
 * which @mswjs/interceptors keeps as process-wide instances under global
 * symbols. faultline takes those listeners when a run starts and calls them
 * itself, with a `RequestController` of its own, for the requests no
 * `sim.http` route matches: msw resolves them against its current handlers
 * (`server.use()` overrides included) and hands the controller the handler's
 * own `Response`, not the interceptor's tee'd clone whose body never finishes
 * cancelling (FIELD-NOTES), and `delay()` runs on the virtual clock.
 *
 * msw's interceptors themselves stay out of the run: the run's `fetch` and
 * `node:http` replace theirs, and are put back exactly afterwards.
 */

import { RequestController } from '@mswjs/interceptors';

/** Where @mswjs/interceptors keeps its running interceptors. */
const INTERCEPTORS = ['fetch-interceptor', 'client-request-interceptor', 'xhr-interceptor'].map((name) =>
  Symbol.for(name),
);

type Listener = (args: {
  request: Request;
  requestId: string | undefined;
  controller: RequestController;
}) => unknown;

/** What msw made of a request: a response, an error, or nothing (no handler, `bypass`, `passthrough`). */
export type MswOutcome = { response: Response } | { error: unknown } | undefined;

/** Resolves a request against the msw handlers that were listening when the run started. */
export type MswResolver = (request: Request) => Promise<MswOutcome>;

/**
 * The msw handlers listening right now (any number of `setupServer`s), as a
 * resolver; `undefined` when none is listening.
 *
 * @example
 * ```ts
 * const msw = listeningMswHandlers();
 * const outcome = await msw?.(new Request('https://api.test/user'));
 * ```
 */
export function listeningMswHandlers(): MswResolver | undefined {
  const listeners = new Set<Listener>();
  const g = globalThis as Record<symbol, unknown>;
  for (const symbol of INTERCEPTORS) {
    const emitter = (g[symbol] as { emitter?: { listeners?: (event: string) => unknown[] } } | undefined)
      ?.emitter;
    if (typeof emitter?.listeners !== 'function') continue;
    for (const listener of emitter.listeners('request')) {
      if (typeof listener === 'function') listeners.add(listener as Listener);
    }
  }
  if (listeners.size === 0) return undefined;
  const list = [...listeners];
  return async (request) => {
    let outcome: MswOutcome;
    const controller = new RequestController(request, {
      passthrough() {},
      respondWith(response) {
        outcome = { response };
      },
      errorWith(reason) {
        outcome = { error: reason };
      },
    });
    for (const listener of list) {
      // No request id: msw keys per-request bookkeeping by it until a 'response' event this path never sends.
      await listener({ request, requestId: undefined, controller });
      if (controller.readyState !== RequestController.PENDING) break;
    }
    return outcome;
  };
}

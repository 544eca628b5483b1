import { FaultlineError, hasCode } from './faultline-error.js';

/**
 * A request inside a simulation matched no `sim.http` route and no listening
 * msw handler answered it (or one asked for the real network with msw's
 * `passthrough()` / `bypass()`). A simulation never reaches the real network:
 * the bridge rejects a `fetch` with `TypeError('fetch failed')` whose `cause` is
 * this error, and a `node:http` request emits it as its `'error'` event, so HTTP
 * clients and SDKs treat it as a connection error while the message still says
 * what to route.
 *
 * @example
 * ```ts
 * try { await fetch('https://nowhere.test/x') } catch (e) {
 *   if (UnmatchedRequestError.is((e as Error).cause)) console.log((e as Error).cause);
 * }
 * ```
 */
export class UnmatchedRequestError extends FaultlineError {
  /** HTTP method of the request, upper case. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  /** Base URLs routed when the request was made. */
  readonly routes: readonly string[];

  constructor(method: string, url: string, routes: readonly string[], reason?: string) {
    const routed = routes.length
      ? `routed base URLs: ${routes.join(', ')}`
      : 'no base URL is routed (register one with sim.http(baseUrl, target))';
    super(
      'HTTP_UNMATCHED',
      `${method} ${url}: ${reason ?? 'no simulated service matches this URL'}; ${routed}. A simulation never reaches the real network.`,
    );
    this.method = method;
    this.url = url;
    this.routes = routes;
  }

  static override is(value: unknown): value is UnmatchedRequestError {
    return hasCode(value, 'HTTP_UNMATCHED');
  }
}

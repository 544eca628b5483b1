import { FaultlineError, hasCode } from './faultline-error.js';

/**
 * A connection opened inside a simulation that the HTTP bridge did not make
 * (`net.connect`, `tls.connect`, `http2.connect`, an undici `Agent` or `Pool`,
 * a `fetch` with its own `dispatcher`, ...): faultline refuses it at the socket
 * level, so a run never reaches the real network by any route. The socket
 * emits this error as its `'error'` event, the way a refused connection does.
 *
 * @example
 * ```ts
 * net.connect(5432, 'db.internal').on('error', (e) => {
 *   NetworkRefusedError.is(e); // true: route HTTP with sim.http, or mock the client
 * });
 * ```
 */
export class NetworkRefusedError extends FaultlineError {
  /** The host (or socket path) the connection was for. */
  readonly host: string;
  /** The port, when the connection was TCP. */
  readonly port: number | undefined;

  constructor(host: string, port: number | undefined, routedBase?: string) {
    const target = port === undefined ? host : `${host}:${port}`;
    const fix = routedBase
      ? `${routedBase} is routed with sim.http, but this client opened a connection of its own (an undici Agent, Pool or ` +
        'Client, or a dispatcher of its own): let it use the global fetch or dispatcher, or node:http, which the bridge answers.'
      : 'Route HTTP with sim.http(baseUrl, target); other protocols need an in-process fake.';
    super(
      'NETWORK_REFUSED',
      `faultline refused a real connection to ${target}: a simulation never reaches the real network. ${fix}`,
    );
    this.host = host;
    this.port = port;
  }

  static override is(value: unknown): value is NetworkRefusedError {
    return hasCode(value, 'NETWORK_REFUSED');
  }
}

/*
 * A real HTTP server on 127.0.0.1 that counts the TCP connections it accepts:
 * tests use it to prove that nothing from inside a simulation reached it.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function countingServer(): Promise<CountingServer> {
  let connections = 0;
  const server = http.createServer((_req, res) => res.end('real server'));
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/*
 * The last line of defence of the network boundary: while a simulation runs,
 * every `net.Socket#connect` (which `net.connect`, `tls.connect`,
 * `http2.connect`, undici's `Agent`/`Pool`/`Client` and any other client end
 * up calling) fails with a `NetworkRefusedError` naming the host, delivered as
 * the socket's `'error'` event on the next tick, the way a refused connection
 * surfaces. No handle is opened, so nothing real is left for the run to wait
 * on. The HTTP bridge opens no sockets at all (its `node:http` sockets are
 * in-memory), so every connection attempt during a run is one it did not make.
 */

import net from 'node:net';
import { NetworkRefusedError } from '../../errors/network-refused-error.js';

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

/**
 * Makes every new socket connection fail with `NetworkRefusedError` until the
 * returned function is called, which puts `net.Socket.prototype.connect` back.
 * `routes` (the bridge's base URLs) lets the error say when the host is routed
 * and only the client's own connection bypassed the bridge.
 *
 * @example
 * ```ts
 * const unguard = guardSockets();
 * try { net.connect(80, 'example.com').on('error', console.log) } finally { unguard() }
 * ```
 */
export function guardSockets(routes: () => readonly string[] = () => []): () => void {
  const proto = net.Socket.prototype as unknown as { connect: Connect };
  const saved = Object.getOwnPropertyDescriptor(proto, 'connect')!;
  proto.connect = function refuse(this: net.Socket, ...args: unknown[]): net.Socket {
    const { host, port } = connectTarget(args);
    const error = new NetworkRefusedError(host, port, routedBase(routes(), host, port));
    // As a real connect would: connecting until the refusal arrives (http2 waits for it).
    (this as { connecting: boolean }).connecting = true;
    process.nextTick(() => this.destroy(error));
    return this;
  };
  return () => {
    Object.defineProperty(proto, 'connect', saved);
  };
}

/** Host and port (or the IPC path) from `connect`'s overloads, including Node's pre-normalized `[options, cb]`. */
function connectTarget(args: unknown[]): { host: string; port: number | undefined } {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: unknown; port?: unknown; path?: unknown };
    if (typeof o.path === 'string') return { host: o.path, port: undefined };
    return { host: typeof o.host === 'string' ? o.host : 'localhost', port: toPort(o.port) };
  }
  if (typeof first === 'string' && toPort(first) === undefined) return { host: first, port: undefined };
  const host = typeof args[1] === 'string' ? args[1] : 'localhost';
  return { host, port: toPort(first) };
}

function toPort(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** The routed base URL on this host (and port, when known), if any. */
function routedBase(routes: readonly string[], host: string, port: number | undefined): string | undefined {
  return routes.find((base) => {
    const url = new URL(base);
    if (url.hostname !== host) return false;
    const basePort = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return port === undefined || port === basePort;
  });
}

/*
 * The one list of Node-style network error codes: what faults can inject, what
 * `ServiceError` dresses as a system error, and what the retry classifier treats
 * as a transient network failure.
 */

/** Node / undici error codes that mean the network failed, not the request. */
export const NETWORK_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
] as const;

/** One of `NETWORK_ERROR_CODES`. */
export type NetworkErrorCode = (typeof NETWORK_ERROR_CODES)[number];

/** The default message and the system call Node names for each code. */
const INFO: Readonly<Record<NetworkErrorCode, { readonly message: string; readonly syscall: string }>> = {
  ECONNRESET: { message: 'socket hang up', syscall: 'read' },
  ECONNREFUSED: { message: 'connection refused', syscall: 'connect' },
  ECONNABORTED: { message: 'connection aborted', syscall: 'read' },
  ETIMEDOUT: { message: 'connection timed out', syscall: 'connect' },
  EPIPE: { message: 'broken pipe', syscall: 'write' },
  ENOTFOUND: { message: 'getaddrinfo ENOTFOUND', syscall: 'getaddrinfo' },
  EAI_AGAIN: { message: 'getaddrinfo EAI_AGAIN', syscall: 'getaddrinfo' },
  EHOSTUNREACH: { message: 'host unreachable', syscall: 'connect' },
  ENETUNREACH: { message: 'network unreachable', syscall: 'connect' },
  ENETDOWN: { message: 'network is down', syscall: 'connect' },
};

/** Whether `code` is one of `NETWORK_ERROR_CODES`. */
export function isNetworkErrorCode(code: unknown): code is NetworkErrorCode {
  return typeof code === 'string' && Object.hasOwn(INFO, code);
}

/** The default message for a network code. */
export function networkMessage(code: NetworkErrorCode): string {
  return INFO[code].message;
}

/** The system call Node names in the error for `code` (`read` for codes it does not know). */
export function networkSyscall(code: string): string {
  return isNetworkErrorCode(code) ? INFO[code].syscall : 'read';
}

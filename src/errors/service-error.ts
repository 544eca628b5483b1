/*
 * The error a mock service call rejects with: an HTTP error response (status,
 * headers, provider-style body) or a network-level failure (a Node-style code
 * such as ECONNRESET, no status). Shaped so the usual retry classifiers read it
 * like an SDK or fetch error: `error.status`, `error.headers['retry-after']`,
 * `error.code`, `error.body.error.type`.
 */
import { FaultlineError } from './faultline-error.js';
import { networkSyscall } from './network-codes.js';

const SERVICE_BRAND = Symbol.for('faultline.service-error');

/** Code of a `ServiceError` that carries an HTTP status (network errors use their Node code instead). */
export const SERVICE_ERROR_CODE = 'SERVICE_ERROR';

/** Code of a `ServiceError` for a 200 reply whose payload does not parse (`faults.malformed`). */
export const MALFORMED_CODE = 'MALFORMED';

/** What a `ServiceError` is built from. */
export interface ServiceErrorInit {
  /** Name of the service that failed. */
  service: string;
  /** Index of the call on that service (0-based), when known. */
  call?: number;
  /** Kind of the fault that caused it (`'errors'`, `'reset'`, ...), or undefined for a handler error. */
  fault?: string;
  /** HTTP status; absent for network-level failures. */
  status?: number;
  /** Response headers (keys are lower-cased). */
  headers?: Readonly<Record<string, string>>;
  /** Parsed response body (a provider-style error object), when there is one. */
  body?: unknown;
  /**
   * For failures without a status: a Node network code (`'ECONNRESET'`, the
   * default, `'ETIMEDOUT'`, ...) or another code such as `'STREAM_ERROR'` (an
   * in-band error event in a 200 stream) or `'MALFORMED'` (a 200 payload that
   * does not parse; `body` is then the raw text).
   */
  code?: string;
  /** Human-readable reason, appended to the message. */
  message?: string;
  cause?: unknown;
}

/**
 * A mock service call failed: either the service answered with an HTTP error
 * (`status`, `headers`, `body`) or the connection failed (`code` such as
 * `'ECONNRESET'`, no `status`). `code` is the network code for network
 * failures and `'SERVICE_ERROR'` for HTTP errors, so classifiers that look
 * for `error.code === 'ECONNRESET'` work unchanged. Network failures also carry
 * a Node-style `cause` (`{ code, syscall }`), like undici's `fetch failed`.
 *
 * @example
 * ```ts
 * try { await llm.call(req) } catch (e) {
 *   if (ServiceError.is(e) && e.status === 429) await sleep(Number(e.headers['retry-after']) * 1000)
 * }
 * ```
 */
export class ServiceError extends FaultlineError {
  readonly [SERVICE_BRAND] = true;
  /** Name of the service. */
  readonly service: string;
  /** Call index on the service, when known. */
  readonly call: number | undefined;
  /** Fault kind that caused the failure, or undefined when the handler itself failed. */
  readonly fault: string | undefined;
  /** HTTP status; undefined for network-level failures. */
  readonly status: number | undefined;
  /** Response headers, lower-case keys (empty for network failures). */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed response body, when there is one. */
  readonly body: unknown;

  constructor(init: ServiceErrorInit) {
    const code = init.code ?? 'ECONNRESET';
    const network = init.status === undefined && isNodeNetworkCode(code);
    const what = init.status !== undefined ? `HTTP ${init.status}` : network ? `network error ${code}` : code;
    const call = init.call !== undefined ? ` call #${init.call}` : '';
    const reason = init.message ? `: ${init.message}` : '';
    const fault = init.fault ? ` (fault: ${init.fault})` : '';
    const cause = init.cause ?? (network ? networkCause(code) : undefined);
    super(
      init.status !== undefined ? SERVICE_ERROR_CODE : code,
      `service "${init.service}"${call} failed with ${what}${reason}${fault}`,
      cause === undefined ? undefined : { cause },
    );
    this.service = init.service;
    this.call = init.call;
    this.fault = init.fault;
    this.status = init.status;
    this.headers = lowerCaseKeys(init.headers ?? {});
    this.body = init.body;
  }

  /** True for network-level failures (no HTTP status). */
  get isNetworkError(): boolean {
    return this.status === undefined && isNodeNetworkCode(this.code);
  }

  static override is(value: unknown): value is ServiceError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[SERVICE_BRAND] === true
    );
  }
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = String(value);
  return out;
}

function isNodeNetworkCode(code: string): boolean {
  return /^E[A-Z_]+$/.test(code);
}

/** A Node-style system error, as undici puts in `fetch failed`'s `cause`. */
function networkCause(code: string): Error {
  const syscall = networkSyscall(code);
  return Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
}

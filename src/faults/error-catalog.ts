/*
 * The failures a fault can answer with, by HTTP status or by name
 * (`'insufficient_quota'`, `'connection_reset'`, ...), and how each becomes an
 * effect: status, error type, message, headers and a provider-neutral body
 * `{ type: 'error', error: { type, message } }` (the Anthropic envelope; LLM
 * services reshape it per provider). Shared by `errors`, `outage`, `flapping`
 * and `degrade`.
 */
import { ConfigError } from '../errors/config-error.js';
import type { NetworkErrorCode } from '../errors/network-codes.js';
import { optionPath } from '../options/validate.js';
import type { FaultEffect, FaultStage } from './fault.js';

/** Named failures accepted by `error` options. */
export type NamedError =
  | 'bad_request'
  | 'prompt_too_long'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'insufficient_quota'
  | 'server_error'
  | 'bad_gateway'
  | 'unavailable'
  | 'gateway_timeout'
  | 'overloaded'
  | 'connection_reset'
  | 'connection_refused'
  | 'dns_failure'
  | 'socket_timeout';

interface StatusEntry {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

interface NetworkEntry {
  readonly code: NetworkErrorCode;
  readonly message: string;
}

const NAMED: Readonly<Record<NamedError, StatusEntry | NetworkEntry>> = {
  bad_request: { status: 400, errorType: 'invalid_request_error', message: 'Bad request' },
  prompt_too_long: {
    status: 400,
    errorType: 'invalid_request_error',
    message: 'prompt is too long: the request exceeds the maximum context length',
  },
  unauthorized: { status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' },
  forbidden: {
    status: 403,
    errorType: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  not_found: { status: 404, errorType: 'not_found_error', message: 'The requested resource was not found.' },
  request_too_large: {
    status: 413,
    errorType: 'request_too_large',
    message: 'Request exceeds the maximum allowed number of bytes.',
  },
  rate_limit: { status: 429, errorType: 'rate_limit_error', message: 'Rate limit exceeded' },
  insufficient_quota: {
    status: 429,
    errorType: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details.',
    headers: { 'x-should-retry': 'false' },
  },
  server_error: { status: 500, errorType: 'api_error', message: 'Internal server error' },
  bad_gateway: { status: 502, errorType: 'api_error', message: 'Bad gateway' },
  unavailable: { status: 503, errorType: 'api_error', message: 'Service unavailable' },
  gateway_timeout: { status: 504, errorType: 'timeout_error', message: 'Gateway timeout' },
  overloaded: { status: 529, errorType: 'overloaded_error', message: 'Overloaded' },
  connection_reset: { code: 'ECONNRESET', message: 'socket hang up' },
  connection_refused: { code: 'ECONNREFUSED', message: 'connection refused' },
  dns_failure: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' },
  socket_timeout: { code: 'ETIMEDOUT', message: 'connection timed out' },
};

/** Every named failure. */
export const NAMED_ERRORS = Object.keys(NAMED) as readonly NamedError[];

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  529: 'Overloaded',
};

/** Provider-neutral error type for an HTTP status. */
export function errorTypeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 408:
    case 504:
      return 'timeout_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** Reason phrase of an HTTP status. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** The provider-neutral error body. */
export function errorBody(errorType: string, message: string): unknown {
  return { type: 'error', error: { type: errorType, message } };
}

/** A resolved failure: what a fault answers with when it fires. */
export type FailureSpec =
  | {
      readonly kind: 'status';
      readonly statuses: readonly number[];
      readonly name?: NamedError;
      readonly entry?: StatusEntry;
    }
  | { readonly kind: 'network'; readonly code: NetworkErrorCode; readonly message: string };

/**
 * Resolves `{ status }` / `{ error }` options (exactly one, or `fallbackStatus`).
 * `status` may be a list: each failure picks one uniformly.
 */
export function failureSpec(
  fault: string,
  status: unknown,
  error: unknown,
  fallbackStatus: number,
): FailureSpec {
  if (status !== undefined && error !== undefined) {
    throw new ConfigError(optionPath(`faults.${fault}`, 'error'), error, 'either status or error, not both');
  }
  if (error !== undefined) {
    if (typeof error !== 'string' || !(error in NAMED)) {
      throw new ConfigError(
        optionPath(`faults.${fault}`, 'error'),
        error,
        `one of ${NAMED_ERRORS.map((n) => `'${n}'`).join(', ')}`,
      );
    }
    const entry = NAMED[error as NamedError];
    if ('code' in entry) return { kind: 'network', code: entry.code, message: entry.message };
    return { kind: 'status', statuses: [entry.status], name: error as NamedError, entry };
  }
  if (status === undefined) return { kind: 'status', statuses: [fallbackStatus] };
  const list = Array.isArray(status) ? status : [status];
  if (
    list.length === 0 ||
    !list.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 599)
  ) {
    throw new ConfigError(
      optionPath(`faults.${fault}`, 'status'),
      status,
      'an HTTP error status (an integer in [400, 599]) or a non-empty list of them',
    );
  }
  return { kind: 'status', statuses: list as number[] };
}

/** Describes a spec for `Fault.description`. */
export function describeSpec(spec: FailureSpec): string {
  if (spec.kind === 'network') return `code=${spec.code}`;
  if (spec.name) return `error=${spec.name}`;
  return spec.statuses.length === 1 ? `status=${spec.statuses[0]}` : `status=[${spec.statuses.join(',')}]`;
}

/** The effect of a failure spec firing. Draws from `pick` only when the spec lists several statuses. */
export function failureEffect(
  fault: string,
  stage: FaultStage,
  spec: FailureSpec,
  pick: <T>(items: readonly T[]) => T,
): FaultEffect {
  if (spec.kind === 'network')
    return { type: 'network', fault, stage, code: spec.code, message: spec.message };
  const status = spec.statuses.length === 1 ? spec.statuses[0]! : pick(spec.statuses);
  const errorType = spec.entry?.errorType ?? errorTypeForStatus(status);
  const message = spec.entry?.message ?? statusText(status);
  return {
    type: 'status',
    fault,
    stage,
    status,
    errorType,
    ...(spec.name ? { errorName: spec.name } : {}),
    message,
    headers: { ...(spec.entry?.headers ?? {}) },
    body: errorBody(errorType, message),
  };
}

/*
 * Error classification for retries: transient (retry with backoff),
 * rate-limited (retry, no sooner than the server asked) or permanent (never
 * retry). Reads HTTP status and headers in the shapes fetch, the OpenAI and
 * Anthropic SDKs, axios and Node use.
 */

import { hasCode } from '../errors/faultline-error.js';
import { isNetworkErrorCode } from '../errors/network-codes.js';
import { realClock } from '../time/real-clock.js';
import { parseRetryAfter, readHeader } from './retry-after.js';

/** The retry decision class of an error. */
export type ErrorClass = 'transient' | 'rate-limited' | 'permanent';

/**
 * Why an error got its class. Stable strings, used in traces and by the
 * `retry_on_*` config flags: timeouts, rate limits, server errors and network
 * errors each have their own reason.
 */
export type ErrorReason =
  | 'timeout'
  | 'network'
  | 'server-error'
  | 'rate-limit'
  | 'overloaded'
  | 'conflict'
  | 'should-retry-header'
  | 'bulkhead-rejected'
  | 'unknown'
  | 'client-error'
  | 'not-implemented'
  | 'insufficient-quota'
  | 'should-not-retry-header'
  | 'broken-circuit'
  | 'retry-exhausted'
  | 'aborted'
  | 'config';

export interface Classification {
  readonly kind: ErrorClass;
  readonly reason: ErrorReason;
  /** HTTP status when the error carried one. */
  readonly status?: number;
  /** Milliseconds the server asked to wait (`retry-after-ms` / `Retry-After`), when present. */
  readonly retryAfterMs?: number;
}

/** The HTTP status of an error: `status`, `statusCode` or `response.status`. */
export function errorStatus(error: unknown): number | undefined {
  if (error == null || typeof error !== 'object') return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  const status = e.status ?? e.statusCode ?? e.response?.status;
  if (typeof status === 'number' && Number.isInteger(status)) return status;
  if (typeof status === 'string' && /^\d{3}$/.test(status)) return Number(status);
  return undefined;
}

/** The headers of an error: `headers` or `response.headers`. */
export function errorHeaders(error: unknown): unknown {
  if (error == null || typeof error !== 'object') return undefined;
  const e = error as { headers?: unknown; response?: { headers?: unknown } };
  return e.headers ?? e.response?.headers;
}

/**
 * Classifies an error for retrying. Rules, first match wins:
 * 1. aborts (`AbortError`) → permanent; faultline `ConfigError`, `RetryExhaustedError`,
 *    `BrokenCircuitError` → permanent; faultline/DOM `TimeoutError` → transient `timeout`;
 *    `BulkheadRejectedError` → transient; `RateLimitedError` → rate-limited with its `retryAfterMs`.
 * 2. `x-should-retry: false` → permanent; `x-should-retry: true` → retried (rate-limited for 429/529).
 * 3. HTTP status: 429 → rate-limited, unless the body says `insufficient_quota` (permanent);
 *    529 → rate-limited (`overloaded`); 408 → transient `timeout`; 409 → transient `conflict`;
 *    501 → permanent; other 5xx → transient `server-error`; other 4xx → permanent.
 * 4. network error codes (`ECONNRESET`, `ETIMEDOUT`, `UND_ERR_*`, …) on the error or its `cause`
 *    chain, and `TypeError('fetch failed')` → transient `network`.
 * 5. anything else → transient `unknown` (an unknown failure is retried).
 *
 * Retry-after headers are read for every retryable error (a 503 may carry one too),
 * measured from `nowMs` (default: the real clock) for HTTP-dates.
 *
 * @example
 * ```ts
 * classifyError(Object.assign(new Error('slow down'), { status: 429, headers: { 'retry-after': '3' } }), 0)
 * // { kind: 'rate-limited', reason: 'rate-limit', status: 429, retryAfterMs: 3000 }
 * ```
 */
export function classifyError(error: unknown, nowMs: number = realClock.now()): Classification {
  const own = classifyKnown(error);
  if (own) return own;
  const status = errorStatus(error);
  const headers = errorHeaders(error);
  const shouldRetry = headers === undefined ? undefined : readHeader(headers, 'x-should-retry');
  if (shouldRetry === 'false')
    return withStatus({ kind: 'permanent', reason: 'should-not-retry-header' }, status);
  const base = classifyStatus(error, status) ?? classifyNetwork(error);
  let result: Classification;
  if (shouldRetry === 'true' && (base === undefined || base.kind === 'permanent')) {
    result = withStatus({ kind: 'transient', reason: 'should-retry-header' }, status);
  } else {
    result = base ?? { kind: 'transient', reason: 'unknown' };
  }
  if (result.kind !== 'permanent' && headers !== undefined) {
    const retryAfterMs = parseRetryAfter(headers, nowMs);
    if (retryAfterMs !== undefined) result = { ...result, retryAfterMs };
  }
  return result;
}

function withStatus(c: Classification, status: number | undefined): Classification {
  return status === undefined ? c : { ...c, status };
}

function classifyKnown(error: unknown): Classification | undefined {
  if (error == null || typeof error !== 'object') return undefined;
  const name = (error as { name?: unknown }).name;
  if (name === 'AbortError') return { kind: 'permanent', reason: 'aborted' };
  if (hasCode(error, 'TIMEOUT') || name === 'TimeoutError') return { kind: 'transient', reason: 'timeout' };
  if (hasCode(error, 'BROKEN_CIRCUIT')) return { kind: 'permanent', reason: 'broken-circuit' };
  if (hasCode(error, 'RETRY_EXHAUSTED')) return { kind: 'permanent', reason: 'retry-exhausted' };
  if (hasCode(error, 'CONFIG')) return { kind: 'permanent', reason: 'config' };
  if (hasCode(error, 'BULKHEAD_REJECTED')) return { kind: 'transient', reason: 'bulkhead-rejected' };
  if (hasCode(error, 'RATE_LIMITED')) {
    const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
    return typeof retryAfterMs === 'number'
      ? { kind: 'rate-limited', reason: 'rate-limit', retryAfterMs }
      : { kind: 'rate-limited', reason: 'rate-limit' };
  }
  return undefined;
}

function classifyStatus(error: unknown, status: number | undefined): Classification | undefined {
  if (status === undefined || status < 400) return undefined;
  if (status === 429) {
    return isInsufficientQuota(error)
      ? { kind: 'permanent', reason: 'insufficient-quota', status }
      : { kind: 'rate-limited', reason: 'rate-limit', status };
  }
  if (status === 529) return { kind: 'rate-limited', reason: 'overloaded', status };
  if (status === 408) return { kind: 'transient', reason: 'timeout', status };
  if (status === 409) return { kind: 'transient', reason: 'conflict', status };
  if (status === 501) return { kind: 'permanent', reason: 'not-implemented', status };
  if (status >= 500) return { kind: 'transient', reason: 'server-error', status };
  return { kind: 'permanent', reason: 'client-error', status };
}

/** OpenAI's `insufficient_quota` in `code`, `type`, `error.code`/`type` or `body.error.*`. */
function isInsufficientQuota(error: unknown): boolean {
  const e = error as Record<string, any>;
  const candidates = [e.code, e.type, e.error?.code, e.error?.type, e.body?.error?.code, e.body?.error?.type];
  for (const c of candidates) if (c === 'insufficient_quota') return true;
  return false;
}

function classifyNetwork(error: unknown): Classification | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current != null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (isNetworkErrorCode(code) || code.startsWith('UND_ERR_'))) {
      return { kind: 'transient', reason: 'network' };
    }
    current = (current as { cause?: unknown }).cause;
  }
  if (error instanceof TypeError && error.message === 'fetch failed')
    return { kind: 'transient', reason: 'network' };
  return undefined;
}

/*
 * `faults.rateLimit`: a fixed-window request limit answering 429 with a
 * Retry-After in seconds, milliseconds or HTTP-date form.
 */

import {
  checkOptions,
  durationMs,
  integerAtLeast,
  oneOf,
  optionPath,
  positiveDurationMs,
} from '../options/validate.js';
import type { Duration } from '../time/duration.js';
import { errorBody } from './error-catalog.js';
import { defineFault, type Fault, type StatusErrorEffect } from './fault.js';

/** How the wait is written: `retry-after: <seconds>`, `retry-after-ms: <ms>` or `retry-after: <HTTP-date>`. */
export type RetryAfterForm = 'seconds' | 'ms' | 'date';

export interface RateLimitOptions {
  /** Calls allowed per window. */
  limit: number;
  /** Window length; windows are aligned to schedule time 0: `[k·per, (k+1)·per)`. */
  per: Duration;
  /** Wait to advertise. Default: the time until the current window ends. */
  retryAfter?: Duration;
  /** Header form of the wait. Default `'seconds'`. */
  form?: RetryAfterForm;
}

/**
 * Admits `limit` calls per fixed window of `per`; later calls in the window get
 * 429 `rate_limit_error` with `retry-after` (seconds, rounded up), or
 * `retry-after-ms` (form `'ms'`), or `retry-after` as an IMF-fixdate HTTP-date
 * rounded up to the next second (form `'date'`). Every arriving call counts,
 * including ones another fault fails. Headers also carry `x-ratelimit-limit`,
 * `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (seconds); LLM services
 * add their provider's rate-limit headers. Admitted calls carry the window's
 * state too (`remaining` counting down to 0), which services put in the
 * rate-limit headers of their successful replies.
 *
 * @example
 * ```ts
 * faults.rateLimit({ limit: 60, per: '1m' })                // 61st call in a minute: 429, retry-after: <s to window end>
 * faults.rateLimit({ limit: 10, per: '1s', retryAfter: '250ms', form: 'ms' })
 * ```
 */
export function rateLimit(options: RateLimitOptions): Fault {
  const o = checkOptions('faults.rateLimit', options, ['limit', 'per', 'retryAfter', 'form'], true);
  const limit = integerAtLeast(optionPath('faults.rateLimit', 'limit'), o.limit, 0);
  const per = positiveDurationMs(optionPath('faults.rateLimit', 'per'), o.per);
  const fixedWait =
    o.retryAfter === undefined
      ? undefined
      : durationMs(optionPath('faults.rateLimit', 'retryAfter'), o.retryAfter);
  const form =
    o.form === undefined
      ? 'seconds'
      : oneOf(optionPath('faults.rateLimit', 'form'), o.form, ['seconds', 'ms', 'date']);
  const parts = [`limit=${limit}`, `per=${per}`, `form=${form}`];
  if (fixedWait !== undefined) parts.push(`retryAfter=${fixedWait}`);
  return defineFault('rateLimit', `rateLimit(${parts.join(', ')})`, () => {
    let window = -1;
    let used = 0;
    return ({ now, wallNow }) => {
      const current = Math.floor(now / per);
      if (current !== window) {
        window = current;
        used = 0;
      }
      used++;
      const resetMs = (current + 1) * per - now;
      if (used <= limit) {
        const rateLimit = { limit, remaining: limit - used, resetMs };
        return [{ type: 'quota', fault: 'rateLimit', stage: 'latency', rateLimit }];
      }
      const waitMs = fixedWait ?? resetMs;
      return [rateLimitedEffect(waitMs, form, wallNow, { limit, remaining: 0, resetMs })];
    };
  });
}

function rateLimitedEffect(
  waitMs: number,
  form: RetryAfterForm,
  wallNow: number,
  info: { limit: number; remaining: number; resetMs: number },
): StatusErrorEffect {
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(info.limit),
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Math.ceil(info.resetMs / 1000)),
  };
  let retryAfterMs: number;
  if (form === 'ms') {
    retryAfterMs = Math.ceil(waitMs);
    headers['retry-after-ms'] = String(retryAfterMs);
  } else if (form === 'seconds') {
    const seconds = Math.ceil(waitMs / 1000);
    retryAfterMs = seconds * 1000;
    headers['retry-after'] = String(seconds);
  } else {
    const at = Math.ceil((wallNow + waitMs) / 1000) * 1000;
    retryAfterMs = at - wallNow;
    headers['retry-after'] = new Date(at).toUTCString();
  }
  const message = 'Rate limit exceeded';
  return {
    type: 'status',
    fault: 'rateLimit',
    stage: 'status',
    status: 429,
    errorType: 'rate_limit_error',
    message,
    headers,
    body: errorBody('rate_limit_error', message),
    retryAfterMs,
    rateLimit: info,
  };
}

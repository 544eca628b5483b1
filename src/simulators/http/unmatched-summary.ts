/*
 * The line that tells a user which requests matched nothing and what is
 * routed, for the run's result and failure messages. An SDK retries a refused
 * request and then fails with its own error (`APIConnectionError: Connection
 * error.`), burying `UnmatchedRequestError` causes deep; this puts the fix first.
 */

import { UnmatchedRequestError } from '../../errors/unmatched-request-error.js';
import type { UnmatchedRequest } from './bridge.js';

const SHOWN = 10;

/**
 * One line naming the unmatched requests (method, URL, how often) next to the
 * routed base URLs; `undefined` when nothing went unmatched.
 *
 * @example
 * ```ts
 * unmatchedSummary([{ method: 'POST', url: 'https://api.openai.com/v1/chat/completions', count: 3 }], ['https://api.openai.test/v1']);
 * // 'faultline: 1 request matched no route: POST https://api.openai.com/v1/chat/completions (×3); routed base URLs: https://api.openai.test/v1. …'
 * ```
 */
export function unmatchedSummary(
  unmatched: readonly UnmatchedRequest[],
  routes: readonly string[],
): string | undefined {
  if (unmatched.length === 0) return undefined;
  const shown = unmatched
    .slice(0, SHOWN)
    .map((u) => `${u.method} ${u.url}${u.count > 1 ? ` (×${u.count})` : ''}`)
    .join(', ');
  const more = unmatched.length > SHOWN ? ` and ${unmatched.length - SHOWN} more` : '';
  const routed = routes.length ? `routed base URLs: ${routes.join(', ')}` : 'no base URL is routed';
  const n = unmatched.length;
  return (
    `faultline: ${n} request${n === 1 ? '' : 's'} matched no route: ${shown}${more}; ${routed}. ` +
    "Route with sim.http(baseUrl, target) (or fix the client's base URL)."
  );
}

/** True when `error`, or an error in its `cause` chain, is an `UnmatchedRequestError`. */
export function causedByUnmatched(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 10 && e !== null && typeof e === 'object'; depth++) {
    if (UnmatchedRequestError.is(e)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Puts `summary` as the first line of `error`'s message (and stack), keeping the error itself. */
export function prependToMessage(error: unknown, summary: string): void {
  if (!(error instanceof Error)) return;
  const old = error.message;
  try {
    error.message = `${summary}\n${old}`;
    if (old && typeof error.stack === 'string') error.stack = error.stack.replace(old, error.message);
  } catch {
    // A frozen error keeps its message; the result still lists the requests.
  }
}

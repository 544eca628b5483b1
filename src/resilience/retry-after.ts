/*
 * Reading how long a server asked us to wait: `retry-after-ms` (milliseconds,
 * OpenAI) first, then `Retry-After` as seconds or an HTTP-date. Headers may be a
 * fetch `Headers`, a plain object (any key case) or Node's header arrays.
 */

/** Anything header-like: a fetch `Headers`, a `Map`, or a plain object. */
export type HeadersLike =
  | { get(name: string): string | null | undefined }
  | Readonly<Record<string, string | readonly string[] | number | undefined | null>>;

/** Reads one header, case-insensitively, from any `HeadersLike`. First value of an array. */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (headers == null || typeof headers !== 'object') return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value = (getter as (n: string) => unknown).call(headers, name);
    if (value != null) return String(value);
    if (!(headers instanceof Map)) return undefined;
  }
  const lower = name.toLowerCase();
  const entries = headers instanceof Map ? headers.entries() : Object.entries(headers as object);
  for (const [key, value] of entries) {
    if (typeof key !== 'string' || key.toLowerCase() !== lower || value == null) continue;
    if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
    return String(value);
  }
  return undefined;
}

const NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * Milliseconds the server asked to wait, or `undefined` when it did not say (or
 * said something unparseable). `retry-after-ms` wins over `retry-after`; an
 * HTTP-date is measured from `nowMs` and a date in the past gives 0.
 *
 * @example
 * ```ts
 * parseRetryAfter({ 'Retry-After': '2' }, clock.now())        // 2000
 * parseRetryAfter(new Headers({ 'retry-after-ms': '150' }), 0) // 150
 * ```
 */
export function parseRetryAfter(headers: unknown, nowMs: number): number | undefined {
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined && NUMBER.test(ms)) return Number(ms);
  const value = readHeader(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (NUMBER.test(value)) return Number(value) * 1000;
  // An HTTP-date always names a month; this keeps Date.parse from reading "-3" as a year.
  const at = /[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return at > nowMs ? at - nowMs : 0;
}

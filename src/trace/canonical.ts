import type { TraceEvent } from './event.js';

/*
 * Canonical JSON: object keys sorted, undefined dropped, errors reduced to
 * { name, message, code? }, non-finite numbers as strings. Two traces with the
 * same events always serialize to the same bytes, in any process.
 */

export function canonicalValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (depth > 12) return '[deep]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return canonicalValue({ name: value.name, message: value.message, code }, depth + 1);
  }
  if (Array.isArray(value)) return value.map((v) => canonicalValue(v, depth + 1) ?? null);
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object).sort()) {
    const v = canonicalValue((value as Record<string, unknown>)[key], depth + 1);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** One event as one canonical JSON line (no newline). */
export function canonicalLine(event: TraceEvent): string {
  return JSON.stringify(canonicalValue(event));
}

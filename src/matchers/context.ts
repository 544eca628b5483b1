/*
 * What a matcher needs from the assertion library: vitest's (and jest's)
 * matcher `this`, reduced to the parts faultline uses, so `faultline/matchers`
 * does not depend on vitest at runtime.
 */

/** The `this` of a matcher: `isNot` for wording only, `equals` for asymmetric-aware comparison. */
export interface MatcherContext {
  readonly isNot: boolean;
  equals(a: unknown, b: unknown, customTesters?: unknown[], strictCheck?: boolean): boolean;
  readonly customTesters?: unknown[];
}

/** What a matcher returns: vitest flips `pass` for `.not` and draws `actual`/`expected` as a diff. */
export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

/** A vitest / jest asymmetric matcher (`expect.any(Number)`, `expect.stringMatching(/x/)`, …). */
export interface AsymmetricMatcher {
  asymmetricMatch(other: unknown): boolean;
  toAsymmetricMatcher?(): string;
  toString(): string;
}

export function isAsymmetric(value: unknown): value is AsymmetricMatcher {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
  );
}

/** `ctx.equals(actual, expected)`, falling back to `===`/asymmetric match when no context is given. */
export function matches(ctx: MatcherContext, actual: unknown, expected: unknown): boolean {
  return ctx.equals(actual, expected, ctx.customTesters ?? []);
}

/** A short rendering of an expected value for a message: `'llm'`, `3`, `Any<Number>`, `StringMatching /^ll/`. */
export function show(value: unknown): string {
  if (isAsymmetric(value)) {
    if (value.toAsymmetricMatcher) return value.toAsymmetricMatcher();
    // vitest's StringMatching prints only its class name: add the pattern.
    const sample = (value as { sample?: unknown }).sample;
    return sample instanceof RegExp || typeof sample === 'string'
      ? `${value.toString()} ${show(sample)}`
      : value.toString();
  }
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'function') return value.name || 'a function';
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

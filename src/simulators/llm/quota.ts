/*
 * The numbers behind a success's rate-limit headers, whatever the provider:
 * the request window (from `faults.rateLimit`, else the provider's generous
 * defaults) and the token window. Each wire format writes them in its own
 * headers.
 */
/** Limits a mock provider advertises when no `faults.rateLimit` says otherwise (per minute). */
export interface ProviderLimits {
  readonly requests: number;
  readonly tokens: number;
}

/** A rate-limit window's state when a call arrived (what `faults.rateLimit` reports). */
export interface RateLimitWindow {
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the window resets. */
  readonly resetMs: number;
}

/** What the rate-limit headers of a success are computed from. */
export interface QuotaState {
  /** The call's window state from `faults.rateLimit`, when the service has one. */
  readonly rateLimit?: RateLimitWindow;
  /** Epoch ms when the call arrived (the rate-limit window state is as of then). */
  readonly arrivedAt: number;
  /** Epoch ms of the reply. */
  readonly now: number;
  /** Tokens the call used (prompt + output), counted against the token limit. */
  readonly tokens: number;
}

/** The request and token windows of a success, as its rate-limit headers state them. */
export interface QuotaWindow {
  readonly limit: number;
  readonly remaining: number;
  /** Epoch ms when the request quota is whole again. */
  readonly resetAt: number;
  readonly tokensLimit: number;
  readonly tokensUsed: number;
  /** Epoch ms when the token quota is whole again. */
  readonly tokensResetAt: number;
}

/**
 * With a rate limit, the request window follows it (`remaining` counts down to
 * 0, reset at the window's end); without one, the defaults (one request used,
 * replenished per minute). Tokens always use the defaults, less the call's tokens.
 */
export function quotaWindow(defaults: ProviderLimits, q: QuotaState): QuotaWindow {
  const tokensLimit = defaults.tokens;
  const tokensUsed = Math.min(tokensLimit, Math.max(0, q.tokens));
  return {
    limit: q.rateLimit?.limit ?? defaults.requests,
    remaining: q.rateLimit?.remaining ?? defaults.requests - 1,
    resetAt: q.rateLimit ? q.arrivedAt + q.rateLimit.resetMs : q.now + 60_000 / defaults.requests,
    tokensLimit,
    tokensUsed,
    tokensResetAt: q.now + (tokensUsed * 60_000) / tokensLimit,
  };
}

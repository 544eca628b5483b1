/*
 * A retry budget: a token bucket shared by any number of retry policies that
 * bounds how much extra load retries add when a dependency is down (the AWS
 * SDK "retry quota"). Time plays no part: tokens come back only with successes.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, optionKeys } from '../options/validate.js';

export interface RetryBudgetOptions {
  /** Bucket size and starting tokens. Default 500 (AWS). */
  capacity?: number;
  /** Tokens a retry costs. Default 5. */
  retryCost?: number;
  /** Tokens a retry after a timeout costs. Default 10. */
  timeoutRetryCost?: number;
  /** Tokens a first-attempt success returns. Default 1. */
  successRefund?: number;
}

/** Every key of `RetryBudgetOptions` (unknown keys are a `ConfigError`). */
export const RETRY_BUDGET_KEYS = optionKeys<RetryBudgetOptions>()([
  'capacity',
  'retryCost',
  'timeoutRetryCost',
  'successRefund',
]);

/**
 * A token bucket for retries. Every retry takes `retryCost` tokens
 * (`timeoutRetryCost` after a timeout); with too few tokens the retry is not
 * made and the policy gives up (`RetryExhaustedError`, reason `budget-exhausted`).
 * A success after retries returns the last retry's cost; a first-attempt success
 * returns `successRefund`. Tokens never exceed `capacity`.
 *
 * @example
 * ```ts
 * const budget = retryBudget({ capacity: 50 });
 * const a = retry({ budget }), b = retry({ budget }); // share one bucket
 * ```
 */
export class RetryBudget {
  readonly capacity: number;
  readonly retryCost: number;
  readonly timeoutRetryCost: number;
  readonly successRefund: number;
  private available: number;

  constructor(raw?: RetryBudgetOptions) {
    const options = checkOptions('retryBudget', raw, RETRY_BUDGET_KEYS);
    this.capacity = count('budget.capacity', options.capacity ?? 500, 1);
    this.retryCost = count('budget.retryCost', options.retryCost ?? 5, 0);
    this.timeoutRetryCost = count('budget.timeoutRetryCost', options.timeoutRetryCost ?? 10, 0);
    this.successRefund = count('budget.successRefund', options.successRefund ?? 1, 0);
    this.available = this.capacity;
  }

  /** Tokens left. */
  get tokens(): number {
    return this.available;
  }

  /** Takes `cost` tokens if there are that many; false (and nothing taken) otherwise. */
  tryAcquire(cost: number): boolean {
    if (this.available < cost) return false;
    this.available -= cost;
    return true;
  }

  /** Returns `amount` tokens, up to `capacity`. */
  release(amount: number): void {
    this.available = Math.min(this.capacity, this.available + amount);
  }
}

/** Creates a `RetryBudget` (see there). */
export function retryBudget(options?: RetryBudgetOptions): RetryBudget {
  return new RetryBudget(options);
}

function count(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !(Number.isFinite(value) && value >= min))
    throw new ConfigError(option, value, `a finite number >= ${min}`);
  return value;
}

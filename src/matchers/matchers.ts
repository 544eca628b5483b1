/**
 * `faultline/matchers`: the raw matcher object, for `expect.extend(matchers)`.
 * Importing it also brings the matchers' types into vitest's `expect`.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * import { matchers } from 'faultline/matchers';
 * expect.extend(matchers);
 * ```
 */
import { toBeDeterministic } from './to-be-deterministic.js';
import { toHaveBreakerState } from './to-have-breaker-state.js';
import { toHaveBreakerTransitions } from './to-have-breaker-transitions.js';
import { toHaveCalledService } from './to-have-called-service.js';
import { toHaveCompletedWithin } from './to-have-completed-within.js';
import { toHaveFailedWith } from './to-have-failed-with.js';
import { toHaveFallenBackTo } from './to-have-fallen-back-to.js';
import { toHaveHonoredRetryAfter } from './to-have-honored-retry-after.js';
import { toHaveInjectedFault } from './to-have-injected-fault.js';
import { toHaveNoRetryStorm } from './to-have-no-retry-storm.js';
import { toHaveRejectedCalls } from './to-have-rejected-calls.js';
import { toHaveRetried } from './to-have-retried.js';
import { toHaveSucceeded } from './to-have-succeeded.js';
import { toHaveTrippedBreaker } from './to-have-tripped-breaker.js';
import { toSatisfyInvariants } from './to-satisfy-invariants.js';

export type { AsymmetricMatcher, MatcherContext, MatcherOutcome } from './context.js';
export type { ExpectedError, FaultlineMatchers } from './matcher-types.js';
export { isSimulationResult } from './received.js';

/** Every faultline matcher, by name. */
export const matchers = {
  toHaveTrippedBreaker,
  toHaveBreakerState,
  toHaveBreakerTransitions,
  toHaveRejectedCalls,
  toHaveRetried,
  toHaveHonoredRetryAfter,
  toHaveCalledService,
  toHaveInjectedFault,
  toHaveCompletedWithin,
  toHaveSucceeded,
  toHaveFailedWith,
  toHaveFallenBackTo,
  toHaveNoRetryStorm,
  toSatisfyInvariants,
  toBeDeterministic,
};

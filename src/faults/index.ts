/*
 * The fault catalog: `faults.*` builders, the `Fault` interface and effect
 * types, and `composeFaults` (list composition and precedence). Pure data plus
 * seeded decisions; nothing here reads a clock or imports the simulators.
 */
import { degrade } from './degrade.js';
import { emptyContent } from './empty-content.js';
import { errors } from './errors.js';
import { finishReason } from './finish-reason.js';
import { flapping } from './flapping.js';
import { hang } from './hang.js';
import { invalidToolCall } from './invalid-tool-call.js';
import { latency } from './latency.js';
import { malformed } from './malformed.js';
import { outage } from './outage.js';
import { overloaded } from './overloaded.js';
import { rateLimit } from './rate-limit.js';
import { reset } from './reset.js';
import { responseLost } from './response-lost.js';
import { slowStream } from './slow-stream.js';
import { stall } from './stall.js';
import { streamError } from './stream-error.js';
import { swarm } from './swarm.js';
import { timeout } from './timeout.js';
import { truncate } from './truncate.js';
import { when } from './when.js';

export { composeFaults, type Decision, type DecisionInput, effectData, type FaultPlan } from './compose.js';
export type { DegradeOptions } from './degrade.js';
export type { EmptyContentOptions } from './empty-content.js';
export { errorTypeForStatus, NAMED_ERRORS, type NamedError, statusText } from './error-catalog.js';
export type { ErrorsOptions } from './errors.js';
export * from './fault.js';
export type { FinishReasonOptions } from './finish-reason.js';
export type { FlappingOptions } from './flapping.js';
export type { HangOptions } from './hang.js';
export type { InvalidToolCallOptions } from './invalid-tool-call.js';
export { MALFORMED_KINDS, type MalformedOptions } from './malformed.js';
export type { OutageOptions } from './outage.js';
export type { OverloadedOptions } from './overloaded.js';
export type { RateLimitOptions, RetryAfterForm } from './rate-limit.js';
export type { ResetOptions } from './reset.js';
export type { ResponseLostOptions } from './response-lost.js';
export type { SlowStreamOptions } from './slow-stream.js';
export type { StreamErrorOptions } from './stream-error.js';
export type { StreamFaultOptions } from './stream-faults.js';
export type { SwarmOptions } from './swarm.js';
export type { TimeoutOptions } from './timeout.js';
export type { WhenOptions } from './when.js';

/**
 * The fault catalog. Pass a list to a service's `faults` option; every fault
 * decides every call in list order. When several would fail the same call,
 * the earliest stage wins: transport faults (outage, flapping, hang, timeout,
 * reset) over status errors (errors, rateLimit, overloaded) over response
 * faults (responseLost, malformed) over stream faults (streamError, stall,
 * truncate) over LLM content faults (finishReason, emptyContent,
 * invalidToolCall); ties go to the fault listed first. Latency faults
 * (latency, latency-mode degrade) add up; slowStream applies alongside the
 * others. Stream faults and slowStream act only on streamed calls, content
 * faults only on LLM services; elsewhere they are ignored and not traced. Bad
 * parameters throw `ConfigError` naming the option, the value and what is allowed.
 *
 * @example
 * ```ts
 * sim.service('llm', {
 *   handle,
 *   faults: [
 *     faults.outage({ at: '10m', for: '2m' }),
 *     faults.rateLimit({ limit: 60, per: '1m', form: 'date' }),
 *     faults.errors({ rate: 0.05, status: [500, 503] }),
 *     faults.latency(dist.lognormal({ median: '300ms', p99: '4s' })),
 *   ],
 * });
 * ```
 */
export const faults = {
  errors,
  latency,
  hang,
  timeout,
  outage,
  flapping,
  rateLimit,
  overloaded,
  reset,
  responseLost,
  degrade,
  when,
  swarm,
  streamError,
  stall,
  truncate,
  slowStream,
  malformed,
  finishReason,
  emptyContent,
  invalidToolCall,
};

/**
 * faultline: deterministic virtual-clock simulation and resilience testing for
 * multi-agent TypeScript systems.
 */
export { ConfigError } from './errors/config-error.js';
export { FaultlineError } from './errors/faultline-error.js';
export { NETWORK_ERROR_CODES, type NetworkErrorCode } from './errors/network-codes.js';
export { NonDeterminismError } from './errors/non-determinism-error.js';
export { RunFailedError } from './errors/run-failed-error.js';
export { ServiceError } from './errors/service-error.js';
export { type PendingTask, SimulationDeadlockError } from './errors/simulation-deadlock-error.js';
export { SimulationError, SimulationLimitError } from './errors/simulation-error.js';
export { UnobservedFailureError } from './errors/unobserved-failure-error.js';
export {
  type Decision,
  type DegradeOptions,
  defineFault,
  type EmptyContentOptions,
  type ErrorsOptions,
  type Fault,
  type FaultContext,
  type FaultEffect,
  type FinishReasonOptions,
  type FlappingOptions,
  faults,
  type HangOptions,
  type InvalidToolCallOptions,
  isFault,
  MALFORMED_KINDS,
  type MalformedOptions,
  type NamedError,
  type OutageOptions,
  type OverloadedOptions,
  type RateLimitOptions,
  type ResetOptions,
  type ResponseLostOptions,
  type RetryAfterForm,
  type SlowStreamOptions,
  type StreamErrorOptions,
  type StreamFaultOptions,
  type SwarmOptions,
  type TimeoutOptions as FaultTimeoutOptions,
  type WhenOptions,
} from './faults/index.js';
export { dist } from './random/dist.js';
export type { Distribution } from './random/distribution.js';
export { mathRandom } from './random/math-random.js';
export { type Random, type Seed, seededRandom } from './random/random.js';
export { type ChromeTraceEvent, toChromeTrace } from './report/chrome-trace.js';
export { type HtmlReportOptions, type InvariantResult, renderHtmlReport } from './report/html-report.js';
export type { LatencyStats } from './report/percentile.js';
export {
  type AgentSummary,
  type BreakerSummary,
  type RetrySummary,
  type RunSummary,
  type ServiceSummary,
  summarize,
  type TraceSource,
  type WorkloadSummary,
} from './report/summarize.js';
export * from './resilience/index.js';
export type { Agent, AgentContext, AgentHandler, AgentOptions } from './simulators/agents/agent.js';
export { AgentState } from './simulators/agents/agent-state.js';
export type { LoopOptions } from './simulators/agents/orchestration/loop.js';
export type { MixedPlan } from './simulators/agents/orchestration/mixed.js';
export type {
  AgentOutcome,
  OrchestrationResult,
} from './simulators/agents/orchestration/orchestration-result.js';
export type { ParallelOptions } from './simulators/agents/orchestration/parallel.js';
export {
  isRejection,
  type RequestCounts,
  type RequestOutcome,
} from './simulators/agents/workload/request-ledger.js';
export type { RequestFn, WorkloadResult, Workloads } from './simulators/agents/workload/workloads.js';
export type { HttpRoute } from './simulators/http/bridge.js';
export type {
  HttpReply,
  HttpRequest,
  HttpRouteTarget,
  HttpTarget,
} from './simulators/http/target.js';
export {
  isScenario,
  type Scenario,
  type ScenarioOptions,
  scenario,
} from './simulators/kernel/scenario.js';
export { simulate } from './simulators/kernel/simulate.js';
export type { SimulateOptions, SimulationProgress } from './simulators/kernel/simulate-options.js';
export type {
  PendingTimer,
  SimulationResult,
  SimulationStats,
} from './simulators/kernel/simulation-result.js';
export type { LlmProvider, LlmService, LlmServiceOptions } from './simulators/llm/llm-service.js';
export type { HandleInfo, Service, ServiceOptions } from './simulators/services/service.js';
export type { Sim, TaskRecord } from './simulators/sim.js';
export type { Clock, TimerHandle } from './time/clock.js';
export { type Duration, duration, formatDuration } from './time/duration.js';
export * from './time/manual-clock.js';
export { type Rate, ratePerMs } from './time/rate.js';
export { realClock } from './time/real-clock.js';
export { type EventsMatching, isEvent, nullSink, type TraceEvent, type TraceSink } from './trace/event.js';
export type {
  TraceData,
  TracedBreakerState,
  TracedError,
  TraceEventMap,
  TraceEventOf,
  TraceKind,
} from './trace/event-map.js';
export type { TimelineOptions } from './trace/timeline.js';
export { Trace } from './trace/trace.js';

/*
 * What each step of serving an LLM call reads of its endpoint (the wire
 * format, the engine, the clock, the token gap, the options), made once per
 * endpoint by `createLlmEndpoint`, and the request id every reply carries.
 */
import type { Clock } from '../../time/clock.js';
import type { CallScope, ServiceEngine } from '../services/engine.js';
import type { LlmServiceOptions } from './llm-options.js';
import type { LlmWireFormat } from './wire-format.js';

/** One mock LLM endpoint, as the serving path sees it. */
export interface LlmServer {
  readonly name: string;
  readonly format: LlmWireFormat;
  /** The options as given: `respond` and `model` are read at each call. */
  readonly options: Omit<LlmServiceOptions, 'provider'>;
  readonly engine: ServiceEngine;
  readonly clock: Clock;
  /** Clock time between two output tokens. */
  readonly gapMs: number;
}

/** The request id of a call's reply (`req_<service>_<call index>`). */
export function requestId(server: LlmServer, scope: CallScope): string {
  return `req_${server.name}_${scope.index}`;
}

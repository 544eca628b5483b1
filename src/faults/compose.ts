/*
 * Composition of a fault list for one service: each fault is started with its
 * own stream (forked by position and kind, so appending a fault never shifts
 * the draws of the faults before it), every fault decides every call in list
 * order (so each fault's draws do not depend on the others' outcomes), and the
 * effects are merged by precedence into one `Decision`. Effects that cannot act
 * on the call are dropped before precedence and never traced: stream faults and
 * slow streams on calls that are not streamed, content faults on services that
 * are not LLMs.
 */
import { ConfigError } from '../errors/config-error.js';
import type { Random } from '../random/random.js';
import {
  type ContentFaultEffect,
  type FailureEffect,
  type Fault,
  type FaultContext,
  type FaultDecider,
  type FaultEffect,
  type FaultStage,
  isFault,
  type MalformedEffect,
  type RateLimitInfo,
  type ResponseLostEffect,
  type StreamFaultEffect,
} from './fault.js';

/** What a service asks its fault plan about one call. */
export interface DecisionInput extends Omit<FaultContext, 'random'> {
  /** Whether the call is streamed; stream faults and slow streams apply only then. */
  readonly streaming: boolean;
  /** Whether the service is an LLM; content faults (finishReason, emptyContent, invalidToolCall) apply only then. */
  readonly llm?: boolean;
}

/**
 * The merged outcome of every fault for one call. Precedence: at most one
 * failure applies, the earliest stage winning (`transport` > `status` >
 * `response` > `stream` > `content`), ties to the fault listed first. Delays
 * always add up; slow streams apply alongside any failure (the slowest wins).
 */
export interface Decision {
  /** Sum of the delays of every latency effect. */
  readonly delayMs: number;
  /** The call fails (hang, network error or HTTP error) instead of reaching the handler. */
  readonly failure?: FailureEffect;
  /** The handler runs, then the caller sees a failure. */
  readonly responseLost?: ResponseLostEffect;
  /** The streamed success breaks after some chunks. */
  readonly stream?: StreamFaultEffect;
  /** The handler runs, then the reply's payload is malformed. */
  readonly malformed?: MalformedEffect;
  /** The LLM reply's content is faulty (finish reason, empty, invalid tool call). */
  readonly content?: ContentFaultEffect;
  /** Gap between streamed chunks set by a slow-stream fault (the largest when several apply). */
  readonly chunkGapMs?: number;
  /** Rate-limit state after this call (the most restrictive rate limit), for rate-limit headers. */
  readonly rateLimit?: RateLimitInfo;
  /**
   * Effects that apply: delays and slow streams in list order, then the winning
   * failure. What services trace (rate-limit bookkeeping is not traced).
   */
  readonly injected: readonly FaultEffect[];
}

/** A started fault list for one service. */
export interface FaultPlan {
  /** What each started fault does (swarm mixes resolved). */
  readonly descriptions: readonly string[];
  decide(input: DecisionInput): Decision;
}

/** The `injected` list of calls no effect applies to (most calls): shared, frozen. */
const NONE: readonly FaultEffect[] = Object.freeze([]);

const RANK: Readonly<Record<FaultStage, number>> = {
  transport: 0,
  status: 1,
  response: 2,
  stream: 3,
  content: 4,
  latency: 9,
};

/**
 * Starts `faults` for one service, drawing from `random` (pass the service's
 * `random.fork('faults')`). `option` names the option in config errors.
 *
 * @example
 * ```ts
 * const plan = composeFaults([faults.outage({ at: '1m', for: '10s' }), faults.latency('20ms')], random.fork('faults'));
 * plan.decide({ now: 65_000, wallNow: 0, callIndex: 3, request: {}, streaming: false }).failure?.status; // 503
 * ```
 */
export function composeFaults(
  faults: readonly Fault[] | Fault | undefined,
  random: Random,
  option = 'faults',
): FaultPlan {
  const list = faults === undefined ? [] : isFault(faults) ? [faults] : faults;
  if (!Array.isArray(list)) throw new ConfigError(option, faults, 'a list of faults from the faults catalog');
  const started: { decider: FaultDecider; random: Random }[] = list.map((fault, i) => {
    if (!isFault(fault)) throw new ConfigError(`${option}[${i}]`, fault, 'a fault from the faults catalog');
    const stream = random.fork(`${i}:${fault.kind}`);
    return { decider: fault.start(stream), random: stream };
  });
  return {
    descriptions: started.map((s) => s.decider.description),
    decide(input) {
      // Hot path (every call): no rest/spread, no iterators; one context literal per fault.
      const { now, wallNow, callIndex, request } = input;
      const streaming = input.streaming;
      const llm = input.llm === true;
      let delayMs = 0;
      let chunkGapMs: number | undefined;
      let rateLimit: RateLimitInfo | undefined;
      let applied: FaultEffect[] | undefined;
      let failure: FaultEffect | undefined;
      for (let i = 0; i < started.length; i++) {
        const { decider, random: stream } = started[i]!;
        const effects = decider.decide({ now, wallNow, callIndex, request, random: stream });
        for (let j = 0; j < effects.length; j++) {
          const effect = effects[j]!;
          if (effect.type === 'delay') {
            delayMs += effect.ms;
            (applied ??= []).push(effect);
          } else if (effect.type === 'quota') {
            if (rateLimit === undefined || effect.rateLimit.remaining < rateLimit.remaining) {
              rateLimit = effect.rateLimit;
            }
          } else if (effect.type === 'slow-stream') {
            if (!streaming) continue;
            chunkGapMs = Math.max(chunkGapMs ?? 0, effect.chunkGapMs);
            (applied ??= []).push(effect);
          } else if (effect.type === 'stream' && !streaming) {
            // stream faults do nothing to calls that are not streamed
          } else if (effect.type === 'content' && !llm) {
            // content faults do nothing to services that are not LLMs
          } else if (failure === undefined || RANK[effect.stage] < RANK[failure.stage]) {
            failure = effect;
          }
        }
      }
      if (failure !== undefined) (applied ??= []).push(failure);
      const injected: readonly FaultEffect[] = applied ?? NONE;
      const decision: {
        -readonly [K in keyof Decision]: Decision[K];
      } = { delayMs, injected };
      if (chunkGapMs !== undefined) decision.chunkGapMs = chunkGapMs;
      if (rateLimit !== undefined) decision.rateLimit = rateLimit;
      if (failure === undefined) return decision;
      if (failure.type === 'response-lost') decision.responseLost = failure;
      else if (failure.type === 'stream') decision.stream = failure;
      else if (failure.type === 'malformed') decision.malformed = failure;
      else if (failure.type === 'content') decision.content = failure;
      else decision.failure = failure as FailureEffect;
      return decision;
    },
  };
}

/** An effect as plain trace data (without the fault kind, which the caller adds). */
export function effectData(effect: FaultEffect): {
  readonly effect: string;
  readonly [detail: string]: unknown;
} {
  switch (effect.type) {
    case 'delay':
      return { effect: 'delay', delayMs: effect.ms };
    case 'hang':
      return { effect: 'hang' };
    case 'network':
      return effect.afterMs === undefined
        ? { effect: 'network', code: effect.code }
        : { effect: 'network', code: effect.code, afterMs: effect.afterMs };
    case 'status': {
      const data: { effect: string; [detail: string]: unknown } = {
        effect: 'status',
        status: effect.status,
        errorType: effect.errorType,
      };
      if (effect.retryAfterMs !== undefined) data.retryAfterMs = effect.retryAfterMs;
      if (effect.afterMs !== undefined) data.afterMs = effect.afterMs;
      return data;
    }
    case 'response-lost':
      return effect.status === undefined
        ? { effect: 'response-lost', code: effect.code }
        : { effect: 'response-lost', status: effect.status };
    case 'stream':
      return { effect: `stream-${effect.mode}`, afterChunks: effect.afterChunks };
    case 'malformed':
      return { effect: 'malformed', kind: effect.kind, status: effect.status };
    case 'slow-stream':
      return { effect: 'slow-stream', chunkGapMs: effect.chunkGapMs };
    case 'content':
      if (effect.mode === 'length' || effect.mode === 'content_filter') {
        return { effect: 'finish-reason', reason: effect.mode };
      }
      return { effect: effect.mode === 'empty' ? 'empty-content' : 'invalid-tool-call' };
    case 'quota':
      return { effect: 'quota', limit: effect.rateLimit.limit, remaining: effect.rateLimit.remaining };
  }
}

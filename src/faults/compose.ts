/*
 * Composition of a fault list for one service: each fault is started with its
 * own stream (forked by position and kind, so appending a fault never shifts
 * the draws of the faults before it), every fault decides every call in list
 * order (so each fault's draws do not depend on the others' outcomes), and the
 * effects are merged by precedence into one `Decision`.
 */
import { ConfigError } from '../errors/config-error.js';
import type { Random } from '../random/random.js';
import {
  type FailureEffect,
  type Fault,
  type FaultContext,
  type FaultDecider,
  type FaultEffect,
  type FaultStage,
  isFault,
  type ResponseLostEffect,
  type StreamFaultEffect,
} from './fault.js';

/** What a service asks its fault plan about one call. */
export interface DecisionInput extends Omit<FaultContext, 'random'> {
  /** Whether the call is streamed; stream faults apply only then. */
  readonly streaming: boolean;
}

/**
 * The merged outcome of every fault for one call. Precedence: at most one
 * failure applies, the earliest stage winning (`transport` > `status` >
 * `response` > `stream`), ties to the fault listed first. Delays always add up.
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
  /** Effects that apply, in list order (delays and the winning failure): what services trace. */
  readonly injected: readonly FaultEffect[];
}

/** A started fault list for one service. */
export interface FaultPlan {
  /** What each started fault does (swarm mixes resolved). */
  readonly descriptions: readonly string[];
  decide(input: DecisionInput): Decision;
}

const RANK: Readonly<Record<FaultStage, number>> = {
  transport: 0,
  status: 1,
  response: 2,
  stream: 3,
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
      const { streaming, ...base } = input;
      let delayMs = 0;
      const delays: FaultEffect[] = [];
      let failure: FaultEffect | undefined;
      for (const { decider, random: stream } of started) {
        for (const effect of decider.decide({ ...base, random: stream })) {
          if (effect.type === 'delay') {
            delayMs += effect.ms;
            delays.push(effect);
          } else if (effect.type === 'stream' && !streaming) {
            // stream faults do nothing to calls that are not streamed
          } else if (failure === undefined || RANK[effect.stage] < RANK[failure.stage]) {
            failure = effect;
          }
        }
      }
      const injected = failure === undefined ? delays : [...delays, failure];
      if (failure === undefined) return { delayMs, injected };
      if (failure.type === 'response-lost') return { delayMs, responseLost: failure, injected };
      if (failure.type === 'stream') return { delayMs, stream: failure, injected };
      return { delayMs, failure: failure as FailureEffect, injected };
    },
  };
}

/** An effect as plain trace data (without the fault kind, which the caller adds). */
export function effectData(effect: FaultEffect): Record<string, unknown> {
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
      const data: Record<string, unknown> = {
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
  }
}

/*
 * The call lifecycle shared by every mock service (generic and LLM): number
 * the call, trace it, ask the fault plan, hang / wait / queue / fail as
 * decided, run the work, and trace how the call ended. Latency is sampled from
 * the service's `latency` stream and fault decisions come from its `faults`
 * stream, so adding faults never shifts latency draws and vice versa.
 *
 * Order for one call: decide at arrival; a hang waits for the abort signal
 * only (no timer, no slot); a transport failure waits its latency (or its own
 * `afterMs`) without taking a slot, then rejects; everything else takes a
 * concurrency slot (FIFO), waits the latency plus fault delays, then either
 * answers with the status error or runs the work. A lost response runs the
 * work and then rejects. The slot is held until the work (or its stream) ends.
 * Faults that reshape a reply the work produced (malformed payloads, slow
 * streams, LLM content faults) are in the decision the work receives; the
 * service applies them and tells the engine through `WorkResult.fault`.
 */
import { ConfigError } from '../../errors/config-error.js';
import { ServiceError } from '../../errors/service-error.js';
import { composeFaults, type Decision, effectData, type FaultPlan } from '../../faults/compose.js';
import { errorBody, errorTypeForStatus, statusText } from '../../faults/error-catalog.js';
import type { Fault, StatusErrorEffect } from '../../faults/fault.js';
import type { Distribution } from '../../random/distribution.js';
import type { Random } from '../../random/random.js';
import { sampleMs, toDistribution } from '../../random/to-distribution.js';
import { abortable, abortReason, never } from '../../time/abort.js';
import type { Clock } from '../../time/clock.js';
import type { Duration } from '../../time/duration.js';
import type { TraceSink } from '../../trace/event.js';
import type { DraftData } from '../../trace/event-map.js';
import { type Release, ServiceSlots } from './queue.js';

/**
 * What a mock service runs on. Inside `simulate`: the run's clock, the root
 * stream forked for the service (`sim.rootRandom.fork('service:' + name)`) and
 * the run's trace.
 */
export interface ServiceContext {
  readonly clock: Clock;
  /** The service's own stream; the service forks `latency` and `faults` from it. */
  readonly random: Random;
  readonly trace: TraceSink;
  /**
   * Clock time that fault schedules (`outage({ at })`, windows, ramps) count
   * from. Default 0: inside `simulate`, virtual time since the start of the run.
   * With an epoch-based clock (`realClock`) pass `clock.now()` at creation.
   */
  readonly origin?: number;
  /**
   * Epoch milliseconds at clock time 0, for HTTP-date headers (`Retry-After`
   * dates, Anthropic reset times). Default 0 (an epoch-based clock). Inside
   * `simulate` pass the run's virtual epoch (`Date.now() - sim.now()` in the body).
   */
  readonly epoch?: number;
  /**
   * True once the fault phase is over (`sim.heal()`): from then on no fault
   * applies to any call. Default: faults always apply.
   */
  readonly healed?: () => boolean;
}

/** The decision of a call after the heal: no fault applies. */
const HEALED: Decision = Object.freeze({ delayMs: 0, injected: Object.freeze([]) });

/** How a call ended, as traced in `service.end`. */
export interface CallEnd {
  readonly outcome: 'ok' | 'error' | 'aborted';
  readonly status?: number;
  readonly fault?: string;
  readonly code?: string;
}

/** One call in flight, as the work function sees it. */
export interface CallScope {
  /** Call index on the service, from 0. */
  readonly index: number;
  /** Clock time the call arrived. */
  readonly startedAt: number;
  /** Wall-clock epoch ms at arrival. */
  readonly wallNow: number;
  readonly signal: AbortSignal | undefined;
  readonly decision: Decision;
}

/** What the work of a call produces: the value, its HTTP status, and for streams a promise of the end. */
export interface WorkResult<T> {
  readonly value: T;
  readonly status?: number;
  /** For streamed results: settles when the stream ends; the call is traced as ended then. */
  readonly end?: Promise<CallEnd>;
  /**
   * A fault shaped the value (a malformed payload, an LLM content fault): traced
   * in `service.end` as `fault`. With `failed`, the outcome is `'error'`
   * although the call resolves (the caller got a broken payload).
   */
  readonly fault?: string;
  readonly failed?: boolean;
}

export interface EngineOptions {
  /** Service latency (time to answer). Default 0. */
  readonly latency?: Distribution | Duration;
  readonly faults?: readonly Fault[] | Fault;
  /** Calls in service at once; the rest queue FIFO. Default unlimited. */
  readonly concurrency?: number;
  /** An LLM service: content faults (finishReason, emptyContent, invalidToolCall) apply. Default false. */
  readonly llm?: boolean;
}

/** Builds the error for a status effect (LLM services shape it per provider). */
export type StatusErrorShaper = (effect: StatusErrorEffect, scope: CallScope) => ServiceError;

export class ServiceEngine {
  readonly plan: FaultPlan;
  readonly slots: ServiceSlots;
  private calls = 0;
  private readonly latency: Distribution | undefined;
  private readonly latencyRandom: Random;
  private readonly origin: number;
  private readonly epoch: number;
  private readonly llm: boolean;
  /** Whether calls take a concurrency slot (a finite `concurrency`). */
  private readonly limited: boolean;

  constructor(
    readonly context: ServiceContext,
    readonly name: string,
    options: EngineOptions,
    /** Option path prefix for config errors, e.g. `service("llm")`. */
    readonly label: string,
  ) {
    if (typeof name !== 'string' || name === '')
      throw new ConfigError(`${label} name`, name, 'a non-empty string');
    const ctx = context as Partial<ServiceContext> | undefined;
    if (
      !ctx ||
      typeof ctx.clock?.now !== 'function' ||
      typeof ctx.random?.fork !== 'function' ||
      !ctx.trace
    ) {
      throw new ConfigError(`${label} context`, ctx, '{ clock, random, trace }');
    }
    this.latency =
      options.latency === undefined ? undefined : toDistribution(`${label}({ latency })`, options.latency);
    this.latencyRandom = context.random.fork('latency');
    this.plan = composeFaults(options.faults, context.random.fork('faults'), `${label}({ faults })`);
    const limit = options.concurrency ?? Number.POSITIVE_INFINITY;
    if (limit !== Number.POSITIVE_INFINITY && !(Number.isInteger(limit) && limit >= 1)) {
      throw new ConfigError(`${label}({ concurrency })`, options.concurrency, 'an integer >= 1');
    }
    this.slots = new ServiceSlots(limit);
    this.limited = limit !== Number.POSITIVE_INFINITY;
    this.origin = context.origin ?? 0;
    this.epoch = context.epoch ?? 0;
    this.llm = options.llm === true;
    context.trace.emit('service.create', name, {
      faults: [...this.plan.descriptions],
      ...(Number.isFinite(limit) ? { concurrency: limit } : {}),
    });
  }

  /** Calls made so far. */
  get callCount(): number {
    return this.calls;
  }

  /** Epoch ms of a clock time. */
  wallTime(clockTime: number): number {
    return clockTime + this.epoch;
  }

  /**
   * Runs one call through the lifecycle: `work` runs only when no fault
   * prevents it; `shape` builds the error for HTTP status faults.
   */
  async run<T>(
    request: unknown,
    signal: AbortSignal | undefined,
    streaming: boolean,
    work: (scope: CallScope) => Promise<WorkResult<T>>,
    shape?: StatusErrorShaper,
  ): Promise<T> {
    const { clock, trace } = this.context;
    const index = this.calls++;
    const startedAt = clock.now();
    trace.emit('service.call', this.name, { call: index });
    const latencyMs = this.latency ? sampleMs(this.latency, this.latencyRandom) : 0;
    const wallNow = this.wallTime(startedAt);
    const healed = this.context.healed;
    const decision: Decision = healed?.()
      ? HEALED
      : this.plan.decide({
          now: startedAt - this.origin,
          wallNow,
          callIndex: index,
          request,
          streaming,
          llm: this.llm,
        });
    for (const effect of decision.injected) {
      trace.emit('fault.injected', this.name, { call: index, fault: effect.fault, ...effectData(effect) });
    }
    const scope: CallScope = { index, startedAt, wallNow, signal, decision };
    let release: Release | undefined;
    let deferred = false;
    try {
      if (signal?.aborted) throw abortReason(signal);
      const failure = decision.failure;
      if (failure?.type === 'hang') return await never(signal);
      if (failure && (failure.stage === 'transport' || failure.afterMs !== undefined)) {
        await clock.sleep(failure.afterMs ?? latencyMs + decision.delayMs, signal);
        throw failure.type === 'status'
          ? this.shapeStatus(shape, failure, scope)
          : this.networkError(failure, scope);
      }
      // Unlimited concurrency: no slot to take or give back (nothing waits for one).
      const limited = this.limited;
      if (limited) release = await this.slots.acquire(signal);
      await clock.sleep(latencyMs + decision.delayMs, signal);
      if (failure?.type === 'status') throw this.shapeStatus(shape, failure, scope);
      const pending = work(scope);
      // Settles when the work (and its stream) ends, never rejects: frees the slot, or
      // without a slot just keeps a late stream failure from going unhandled. Without a
      // slot and without a signal nothing can abort the await below, which then handles
      // the work's rejection and hands its stream end on: no watcher needed.
      if (limited) {
        const slot = release!;
        release = undefined;
        pending.then(streamEnd, ignore).then(slot);
      } else if (signal !== undefined) {
        pending.then(streamEnd, ignore);
      }
      const result = await abortable(pending, signal);
      const lost = decision.responseLost;
      if (lost) {
        if (result.end) await abortable(result.end, signal);
        throw lost.status !== undefined
          ? this.shapeStatus(
              shape,
              {
                type: 'status',
                fault: lost.fault,
                stage: 'response',
                status: lost.status,
                errorType: errorTypeForStatus(lost.status),
                message: statusText(lost.status),
                headers: {},
                body: errorBody(errorTypeForStatus(lost.status), statusText(lost.status)),
              },
              scope,
            )
          : new ServiceError({
              service: this.name,
              call: index,
              fault: lost.fault,
              code: lost.code,
              message: 'the service applied the request but the response was lost',
            });
      }
      if (result.end) {
        deferred = true;
        result.end.then(
          (end) => this.traceEnd(index, startedAt, end.outcome, end.status, end.fault, end.code),
          (error) => this.traceEndOf(index, startedAt, error, signal),
        );
      } else {
        this.traceEnd(
          index,
          startedAt,
          result.failed ? 'error' : 'ok',
          result.status,
          result.fault,
          undefined,
        );
      }
      return result.value;
    } catch (error) {
      if (!deferred) this.traceEndOf(index, startedAt, error, signal);
      throw error;
    } finally {
      release?.();
    }
  }

  /** Traces `service.end` for call `index` (keys in this order: call, outcome, status, latency, fault, code). */
  private traceEnd(
    index: number,
    startedAt: number,
    outcome: CallEnd['outcome'],
    status: number | undefined,
    fault: string | undefined,
    code: string | undefined,
  ): void {
    const latency = this.context.clock.now() - startedAt;
    // The usual shapes as whole literals (one allocation, no property added later).
    let data: DraftData<'service.end'>;
    if (status === undefined && fault === undefined && code === undefined) {
      data = { call: index, outcome, latency };
    } else if (status !== undefined && code === undefined) {
      data =
        fault === undefined
          ? { call: index, outcome, status, latency }
          : { call: index, outcome, status, latency, fault };
    } else {
      data = { call: index, outcome } as DraftData<'service.end'>;
      if (status !== undefined) data.status = status;
      data.latency = latency;
      if (fault !== undefined) data.fault = fault;
      if (code !== undefined) data.code = code;
    }
    this.context.trace.emit('service.end', this.name, data);
  }

  /** Traces `service.end` for a call that rejected with `error`. */
  private traceEndOf(
    index: number,
    startedAt: number,
    error: unknown,
    signal: AbortSignal | undefined,
  ): void {
    const end = endOf(error, signal);
    this.traceEnd(index, startedAt, end.outcome, end.status, end.fault, end.code);
  }

  private shapeStatus(
    shape: StatusErrorShaper | undefined,
    effect: StatusErrorEffect,
    scope: CallScope,
  ): ServiceError {
    return shape === undefined ? this.statusError(effect, scope) : shape(effect, scope);
  }

  /** The generic `ServiceError` for a status effect (its own headers and body). */
  statusError(effect: StatusErrorEffect, scope: CallScope): ServiceError {
    return new ServiceError({
      service: this.name,
      call: scope.index,
      fault: effect.fault,
      status: effect.status,
      headers: effect.headers,
      body: effect.body,
      message: effect.message,
    });
  }

  private networkError(
    effect: { fault: string; code: string; message: string },
    scope: CallScope,
  ): ServiceError {
    return new ServiceError({
      service: this.name,
      call: scope.index,
      fault: effect.fault,
      code: effect.code,
      message: effect.message,
    });
  }
}

function endOf(error: unknown, signal: AbortSignal | undefined): CallEnd {
  if (signal?.aborted && error === signal.reason) return { outcome: 'aborted' };
  if (ServiceError.is(error)) {
    const out: { outcome: 'error'; status?: number; fault?: string; code?: string } = { outcome: 'error' };
    if (error.status !== undefined) out.status = error.status;
    else out.code = error.code;
    if (error.fault !== undefined) out.fault = error.fault;
    return out;
  }
  return { outcome: 'error' };
}

/** A work result's stream end as a promise that never rejects (undefined when not streamed). */
function streamEnd(result: WorkResult<unknown>): Promise<void> | undefined {
  return result.end?.then(ignore, ignore);
}

function ignore(): undefined {
  return undefined;
}

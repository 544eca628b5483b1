/*
 * Generic fault-injecting mock services: `createService(ctx, name, options)`.
 * A service waits its latency on the injected clock, applies its faults, runs
 * `handle`, honours a concurrency limit (FIFO queue) and aborts promptly.
 * Every call is traced (actor = service name):
 *
 * - `service.create` `{ faults: string[], concurrency? }` once, when the service is made;
 * - `service.call` `{ call }` when a call arrives;
 * - `fault.injected` `{ call, fault, effect, ... }` for each fault effect that applies
 *   (`delayMs`, `status`, `errorType`, `retryAfterMs`, `code`, `afterMs`, `afterChunks`,
 *   `kind`, `chunkGapMs`, `reason`);
 * - `service.end` `{ call, outcome: 'ok' | 'error' | 'aborted', status?, latency, fault?, code? }`;
 *   a malformed payload ends as `outcome: 'error'` with `fault: 'malformed'` even when
 *   `call()` resolves with it (a wrong-shaped value).
 *
 * HTTP entry for the HTTP bridge: `service.respond({ method, url, headers, body }, { signal })`
 * resolves to an `ServiceReply` `{ status, headers, body }` (body text, or an async
 * iterable of chunks for streams) — HTTP error faults are replies, not
 * rejections — and rejects with a `ServiceError` whose `code` is set and
 * `status` undefined for network-level failures (reset, refused, timeout,
 * lost response), which the bridge should turn into a network error. A hang
 * never settles; the signal's abort rejects with its reason. The default
 * mapping of the generic service: the request body parsed as JSON is passed to
 * `handle`; its result is a 200 JSON reply; a `ServiceError` with a status
 * becomes that status, headers and body; any other handler error becomes a 500.
 * With a `faults.rateLimit`, 200 replies carry `x-ratelimit-limit`,
 * `x-ratelimit-remaining` (counting down in the window) and `x-ratelimit-reset`
 * (seconds). `faults.malformed` replaces the handler's reply after it ran (see
 * `service-malformed.ts`: `wrong-shape` is `{ data: value }`). The LLM content
 * faults and `slowStream` do not apply to generic services (never traced).
 */
import { ConfigError } from '../../errors/config-error.js';
import { ServiceError } from '../../errors/service-error.js';
import type { Fault, RateLimitInfo } from '../../faults/fault.js';
import { checkOptions, optionKeys } from '../../options/validate.js';
import type { Distribution } from '../../random/distribution.js';
import type { Duration } from '../../time/duration.js';
import { type CallOptions, jsonReply, parseBody, type ServiceReply } from '../http/message.js';
import type { HttpRequest } from '../http/target.js';
import { addGetters } from '../live-getters.js';
import { type CallScope, type ServiceContext, ServiceEngine } from './engine.js';
import { malformedCallValue, malformedReply } from './malformed.js';

export type { CallOptions, ServiceReply } from '../http/message.js';
export type { CallEnd, ServiceContext } from './engine.js';

/** What `handle` learns about the call besides the request. */
export interface HandleInfo {
  /** Call index on the service, from 0. */
  readonly callIndex: number;
  /** Clock time when the handler runs (after the latency). */
  readonly now: number;
  /** The caller's signal, to stop work the caller gave up on. */
  readonly signal: AbortSignal | undefined;
  /** The HTTP request, when the call came through `respond`. */
  readonly http?: HttpRequest;
}

/** Options of `createService`. */
/** Every key of `ServiceOptions`. */
const SERVICE_KEYS = optionKeys<ServiceOptions<unknown, unknown>>()([
  'latency',
  'faults',
  'handle',
  'concurrency',
]);

export interface ServiceOptions<Req, Res> {
  /** Time to answer: a distribution sampled per call, or a fixed duration. Default 0. */
  latency?: Distribution | Duration;
  /** Faults, decided in order for every call (see `faults`). */
  faults?: readonly Fault[] | Fault;
  /** The service's behaviour when no fault prevents it. Throw a `ServiceError` for an HTTP error. */
  handle: (request: Req, info: HandleInfo) => Res | Promise<Res>;
  /** Calls served at once; the rest wait in FIFO order. Default unlimited. */
  concurrency?: number;
}

/** A fault-injecting mock service. */
export interface Service<Req = unknown, Res = unknown> {
  readonly name: string;
  /** Descriptions of the started faults (swarm mixes resolved). */
  readonly faults: readonly string[];
  /** Calls made so far. */
  readonly calls: number;
  /** Calls the service right now: resolves with `handle`'s result or rejects with a `ServiceError` (or the abort reason). */
  call(request: Req, options?: CallOptions): Promise<Awaited<Res>>;
  /** HTTP entry for the HTTP bridge (see the module header for the contract). */
  respond(request: HttpRequest, options?: CallOptions): Promise<ServiceReply>;
}

/**
 * Creates a mock service on `ctx`'s clock, random stream and trace.
 *
 * @example
 * ```ts
 * const db = createService({ clock: sim.clock, random: sim.rootRandom.fork('service:db'), trace: sim.trace }, 'db', {
 *   latency: dist.exponential('20ms'),
 *   faults: [faults.errors({ rate: 0.05, status: 503 })],
 *   concurrency: 4,
 *   handle: (req: { key: string }) => ({ value: `v:${req.key}` }),
 * });
 * await db.call({ key: 'a' }, { signal: AbortSignal.timeout(1000) });
 * ```
 */
export function createService<Req = unknown, Res = unknown>(
  ctx: ServiceContext,
  name: string,
  options: ServiceOptions<Req, Res>,
): Service<Req, Res> {
  const label = `service("${name}")`;
  checkOptions(label, options, SERVICE_KEYS, true);
  if (typeof options?.handle !== 'function') {
    throw new ConfigError(`${label}({ handle })`, options?.handle, 'a function (request, info) => result');
  }
  const engine = new ServiceEngine(ctx, name, options, label);
  const handle = options.handle;
  const run = (request: Req, callIndex: number, signal: AbortSignal | undefined, http?: HttpRequest) =>
    Promise.resolve(
      handle(
        request,
        http === undefined
          ? { callIndex, signal, now: ctx.clock.now() }
          : { callIndex, signal, http, now: ctx.clock.now() },
      ),
    );
  const service = addGetters(
    { name, faults: engine.plan.descriptions },
    { calls: () => engine.callCount },
    'service',
  ) as Service<Req, Res>;
  const methods: Pick<Service<Req, Res>, 'call' | 'respond'> = {
    call(request, callOptions) {
      const signal = callOptions?.signal;
      return engine.run(request, signal, false, async (scope) => {
        const value = await run(request, scope.index, signal);
        const bad = scope.decision.malformed;
        if (!bad) return { value };
        const wrongShape = { data: value };
        const reply = malformedReply(bad, value, wrongShape);
        return {
          value: malformedCallValue(bad, reply, wrongShape, name, scope.index) as Awaited<Res>,
          status: bad.status,
          fault: bad.fault,
          failed: true,
        };
      });
    },
    async respond(http, callOptions) {
      const signal = callOptions?.signal;
      const request = parseBody(http.body) as Req;
      try {
        return await engine.run(request, signal, false, async (scope) => {
          let value: Awaited<Res>;
          try {
            value = await run(request, scope.index, signal, http);
          } catch (error) {
            if (ServiceError.is(error) || (signal?.aborted && error === signal.reason)) throw error;
            throw new ServiceError({
              service: name,
              call: scope.index,
              status: 500,
              body: { type: 'error', error: { type: 'api_error', message: messageOf(error) } },
              message: `handler failed: ${messageOf(error)}`,
              cause: error,
            });
          }
          const headers = rateLimitHeaders(scope, ctx.clock.now());
          const bad = scope.decision.malformed;
          if (bad) {
            const reply = malformedReply(bad, value, { data: value }, headers);
            return { value: reply, status: bad.status, fault: bad.fault, failed: true };
          }
          return { value: jsonReply(200, value, headers), status: 200 };
        });
      } catch (error) {
        if (ServiceError.is(error) && error.status !== undefined) {
          return jsonReply(error.status, error.body, error.headers);
        }
        throw error;
      }
    },
  };
  service.call = methods.call;
  service.respond = methods.respond;
  return service;
}

/** `x-ratelimit-*` headers from the call's rate-limit state (none without a `faults.rateLimit`). */
function rateLimitHeaders(scope: CallScope, now: number): Record<string, string> {
  const info: RateLimitInfo | undefined = scope.decision.rateLimit;
  if (!info) return {};
  const resetMs = Math.max(0, info.resetMs - (now - scope.startedAt));
  return {
    'x-ratelimit-limit': String(info.limit),
    'x-ratelimit-remaining': String(info.remaining),
    'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

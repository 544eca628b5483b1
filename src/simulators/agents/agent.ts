import { ConfigError } from '../../errors/config-error.js';
import { TimeoutError } from '../../errors/timeout-error.js';
import { checkOptions, optionKeys } from '../../options/validate.js';
import { NEVER_ABORTED } from '../../time/abort.js';
import type { Clock } from '../../time/clock.js';
import { type Duration, duration } from '../../time/duration.js';
import { currentRequest, withRequest } from '../../trace/correlation.js';
import type { TraceSink } from '../../trace/event.js';
import { addGetters } from '../live-getters.js';

/*
 * Agents: named async handlers whose every run is traced (`agent.start`,
 * `agent.end`, `agent.fallback`), with an optional timeout that aborts the
 * handler's signal and an optional fallback used when the handler fails.
 */

function ignore(): void {}

export interface AgentContext {
  /** Aborted when the agent's timeout expires or the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** The run number of this agent (1, 2, …). */
  readonly run: number;
  readonly agent: string;
}

export type AgentHandler<I, O> = (input: I, context: AgentContext) => Promise<O> | O;

/** Every key of `AgentOptions`. */
const AGENT_KEYS = optionKeys<AgentOptions<unknown, unknown>>()(['timeout', 'fallback']);

export interface AgentOptions<I, O> {
  /** Abort the handler and fail with `TimeoutError` after this long. */
  timeout?: Duration;
  /** Output to use when the handler fails (traced as `agent.fallback`); rethrow to fail anyway. */
  fallback?: (input: I, error: unknown) => Promise<O> | O;
}

export interface Agent<I = unknown, O = unknown> {
  readonly name: string;
  run(input: I, signal?: AbortSignal): Promise<O>;
}

export interface AgentDeps {
  clock: Clock;
  trace: TraceSink;
  /** Gives an agent run outside any request its own correlation id. */
  ledger?: { nextRequestId(): string };
}

/** Creates an agent bound to a clock and trace (inside a simulation: `sim.agent`). */
export function createAgent<I, O>(
  deps: AgentDeps,
  name: string,
  handler: AgentHandler<I, O>,
  raw?: AgentOptions<I, O>,
): Agent<I, O> {
  if (typeof name !== 'string' || name === '')
    throw new ConfigError('agent(name)', name, 'a non-empty string');
  const options = checkOptions(`agent("${name}")`, raw, AGENT_KEYS);
  if (typeof handler !== 'function')
    throw new ConfigError(`agent("${name}", handler)`, handler, 'a function');
  const timeoutMs =
    options.timeout === undefined ? undefined : duration(options.timeout, `agent("${name}").timeout`);
  if (options.fallback !== undefined && typeof options.fallback !== 'function') {
    throw new ConfigError(
      `agent("${name}").fallback`,
      options.fallback,
      'a function (input, error) => output',
    );
  }
  let runs = 0;
  const { clock, trace } = deps;

  async function attempt(input: I, run: number, outer: AbortSignal | undefined): Promise<O> {
    if (timeoutMs === undefined && outer === undefined)
      return handler(input, { signal: NEVER_ABORTED, run, agent: name });
    if (outer === undefined) return attemptWithTimeout(input, run, timeoutMs!);
    // Either the timeout or the caller's signal ends the run at once, even if the
    // handler ignores its signal; the handler's signal is aborted either way.
    if (outer?.aborted) throw outer.reason;
    const controller = new AbortController();
    let stop!: (reason: unknown) => void;
    const stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    stopped.catch(ignore);
    // `stopped` rejects before any listener of the handler's signal runs, as a listener
    // registered first would (the timeout path needs no listener: it rejects, then aborts).
    let onAbort: (() => void) | undefined;
    if (outer !== undefined) {
      const signal = controller.signal;
      signal.addEventListener('abort', () => stop(signal.reason), { once: true });
      onAbort = () => controller.abort(outer.reason);
      outer.addEventListener('abort', onAbort, { once: true });
    }
    const timer =
      timeoutMs === undefined
        ? undefined
        : clock.setTimer(timeoutMs, () => {
            if (controller.signal.aborted) return;
            const reason = new TimeoutError(name, timeoutMs);
            stop(reason);
            controller.abort(reason);
          });
    try {
      const work = Promise.resolve(handler(input, { signal: controller.signal, run, agent: name }));
      return await Promise.race([work, stopped]);
    } finally {
      timer?.cancel();
      if (onAbort !== undefined) outer?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * `attempt` with a timeout and no caller's signal. The handler's signal is made
   * when the handler first reads it (already aborted if the timeout has expired):
   * most handlers never do, and an AbortController per run was a large share of
   * a run's allocation.
   */
  async function attemptWithTimeout(input: I, run: number, ms: number): Promise<O> {
    let stop!: (reason: unknown) => void;
    const stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    stopped.catch(ignore);
    let controller: AbortController | undefined;
    let expired: TimeoutError | undefined;
    const timer = clock.setTimer(ms, () => {
      expired = new TimeoutError(name, ms);
      stop(expired);
      controller?.abort(expired);
    });
    // Not an object literal's `get signal()`: see live-getters.ts.
    const context = addGetters(
      {},
      {
        signal: () => {
          if (controller === undefined) {
            controller = new AbortController();
            if (expired !== undefined) controller.abort(expired);
          }
          return controller.signal;
        },
      },
      'agent run context',
    ) as { signal: AbortSignal; run: number; agent: string };
    context.run = run;
    context.agent = name;
    try {
      const work = Promise.resolve(handler(input, context));
      return await Promise.race([work, stopped]);
    } finally {
      timer.cancel();
    }
  }

  return {
    name,
    run(input: I, signal?: AbortSignal): Promise<O> {
      // A run outside any request is a request of its own (its own correlation id).
      if (deps.ledger === undefined || currentRequest() !== undefined) return runOnce(input, signal);
      return withRequest(deps.ledger.nextRequestId(), () => runOnce(input, signal));
    },
  };

  async function runOnce(input: I, signal: AbortSignal | undefined): Promise<O> {
    const run = ++runs;
    const started = clock.now();
    trace.emit('agent.start', name, { run });
    try {
      const output = await attempt(input, run, signal);
      trace.emit('agent.end', name, { run, ok: true, durationMs: clock.now() - started });
      return output;
    } catch (error) {
      trace.emit('agent.end', name, { run, ok: false, error, durationMs: clock.now() - started });
      if (!options.fallback) throw error;
      const output = await options.fallback(input, error);
      trace.emit('agent.fallback', name, { run, error });
      return output;
    }
  }
}

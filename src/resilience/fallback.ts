/*
 * Fallback: an ordered list of named steps tried one after another until one
 * succeeds ("graceful partial failure" in the seed's checklist). Each step gets
 * the error that ended the previous one. When every step fails, the call
 * rejects with the last error, whose `cause` chain is extended to hold the
 * earlier ones (most recent first).
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, optionPath } from '../options/validate.js';
import { abortReason, NEVER_ABORTED } from '../time/abort.js';
import { nullSink, type TraceSink } from '../trace/event.js';
import type { DraftData, TracedError } from '../trace/event-map.js';
import { errorData, POLICY_KEYS, type PolicyOptions, policyName } from './options.js';

/** One step: its name and what it does, given why the previous step failed (`undefined` for the first). */
export type FallbackStep<T> = readonly [
  name: string,
  run: (previousError: unknown, signal: AbortSignal) => T | PromiseLike<T>,
];

const OWNER = 'fallback';

/** A fallback chain. Create it with `fallback(steps, options)`. */
export class Fallback<T> {
  readonly name: string;
  readonly steps: readonly FallbackStep<T>[];
  private readonly trace: TraceSink;
  private readonly tracing: boolean;

  constructor(steps: readonly FallbackStep<T>[], options: PolicyOptions = {}) {
    const o = checkOptions(OWNER, options, POLICY_KEYS);
    this.name = policyName(OWNER, o.name, 'fallback');
    this.trace = o.trace ?? nullSink;
    this.tracing = this.trace !== nullSink;
    this.steps = checkSteps(steps);
    if (this.tracing) this.trace.emit('fallback.declared', this.name, { steps: this.steps.map(([n]) => n) });
  }

  /**
   * Tries the steps in order; resolves with the first success. Each step after the
   * first is traced with the error that ended the one before. When every step
   * fails, rejects with the last error (its `cause` chain holds the others). An
   * aborted `signal` stops at once with its reason: no further step runs.
   *
   * @example
   * ```ts
   * const answer = await chain.execute(signal);
   * ```
   */
  async execute(signal?: AbortSignal): Promise<T> {
    const errors: unknown[] = [];
    let previous: unknown;
    for (let index = 0; index < this.steps.length; index++) {
      if (signal?.aborted) throw abortReason(signal);
      const [step, run] = this.steps[index]!;
      if (this.tracing) {
        const data: DraftData<'fallback.step'> = { step, index };
        if (index > 0) data.previousError = errorData(previous);
        this.trace.emit('fallback.step', this.name, data);
      }
      try {
        const value = await run(previous, signal ?? NEVER_ABORTED);
        if (this.tracing) this.trace.emit('fallback.success', this.name, { step, index });
        return value;
      } catch (error) {
        if (this.tracing)
          this.trace.emit('fallback.failure', this.name, { step, index, error: errorData(error) });
        errors.push(error);
        previous = error;
      }
    }
    if (this.tracing) this.trace.emit('fallback.exhausted', this.name, { steps: errors.length });
    throw chainCauses(errors);
  }
}

/**
 * Links `errors` (oldest first) into one cause chain and returns the last: each
 * error whose own cause chain ends without a `cause` gets the previous error
 * there. Errors that are not extensible objects, or already in the chain, are
 * left as they are.
 */
function chainCauses(errors: readonly unknown[]): unknown {
  for (let k = errors.length - 1; k > 0; k--) {
    const seen = new Set<unknown>();
    let tail = errors[k];
    while (isObject(tail) && !seen.has(tail) && (tail as { cause?: unknown }).cause !== undefined) {
      seen.add(tail);
      tail = (tail as { cause?: unknown }).cause;
    }
    const earlier = errors[k - 1];
    if (!isObject(tail) || seen.has(tail) || tail === earlier || !Object.isExtensible(tail)) continue;
    if (isObject(earlier) && chainHas(earlier, tail)) continue;
    try {
      Object.defineProperty(tail, 'cause', {
        value: earlier,
        configurable: true,
        writable: true,
        enumerable: false,
      });
    } catch {
      // a frozen or exotic error: leave it
    }
  }
  return errors[errors.length - 1];
}

function chainHas(from: object, target: object): boolean {
  const seen = new Set<unknown>();
  let e: unknown = from;
  while (isObject(e) && !seen.has(e)) {
    if (e === target) return true;
    seen.add(e);
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function checkSteps<T>(steps: unknown): readonly FallbackStep<T>[] {
  const path = `${OWNER}(steps)`;
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new ConfigError(
      path,
      steps,
      'a non-empty array of [stepName, (previousError, signal) => value] pairs',
    );
  }
  const names = new Set<string>();
  for (const step of steps) {
    if (
      !Array.isArray(step) ||
      step.length !== 2 ||
      typeof step[0] !== 'string' ||
      step[0] === '' ||
      typeof step[1] !== 'function'
    ) {
      throw new ConfigError(path, step, 'a [stepName, (previousError, signal) => value] pair');
    }
    if (names.has(step[0])) throw new ConfigError(optionPath(OWNER, step[0]), step[0], 'unique step names');
    names.add(step[0]);
  }
  return steps.map((s) => [s[0], s[1]] as const) as unknown as readonly FallbackStep<T>[];
}

/**
 * Creates a fallback chain: steps tried in order until one succeeds.
 *
 * @example
 * ```ts
 * const answer = fallback([
 *   ['primary', (_e, signal) => llm.call(prompt, { signal })],
 *   ['stale cache', () => cached.stale(prompt) ?? Promise.reject(new Error('no cached answer'))],
 *   ['canned', () => 'Sorry, try again later.'],
 * ]);
 * await answer.execute();
 * ```
 */
export function fallback<T>(steps: readonly FallbackStep<T>[], options?: PolicyOptions): Fallback<T> {
  return new Fallback(steps, options);
}

declare module '../trace/event-map.js' {
  interface TraceEventMap {
    'fallback.declared': { readonly steps: readonly string[] };
    /** A step starts; `previousError` ended the step before it. */
    'fallback.step': { readonly step: string; readonly index: number; readonly previousError?: TracedError };
    'fallback.success': { readonly step: string; readonly index: number };
    'fallback.failure': { readonly step: string; readonly index: number; readonly error: TracedError };
    'fallback.exhausted': { readonly steps: number };
  }
}

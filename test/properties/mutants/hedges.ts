/*
 * A hand-written hedge (an AbortController per attempt and one timer, the way
 * many teams write one), instrumented: it emits faultline's hedge events as it
 * decides, so `invariants.hedge()` judges it. Each mutant is one line of
 * difference.
 */
import type { HedgeConfig } from '../../../src/properties/arbitraries/pattern-configs.js';
import { errorData } from '../../../src/resilience/options.js';
import type { TraceSink } from '../../../src/trace/event.js';

export type HedgeBug = 'one attempt too many' | 'losers not aborted';

export class HandHedge {
  private calls = 0;
  private readonly limit: number;

  constructor(
    private readonly trace: TraceSink,
    private readonly name: string,
    private readonly config: HedgeConfig,
    private readonly bug?: HedgeBug,
  ) {
    this.limit = bug === 'one attempt too many' ? config.maxAttempts + 1 : config.maxAttempts;
    trace.emit('hedge.declared', name, { ...config, budget: false });
  }

  execute<T>(fn: (attempt: number, signal: AbortSignal) => Promise<T>): Promise<T> {
    const call = this.calls++;
    const { trace, name } = this;
    return new Promise<T>((resolve, reject) => {
      const controllers: AbortController[] = [];
      const settled: boolean[] = [];
      let failures = 0;
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const launch = (reason: 'first' | 'delay' | 'failure') => {
        if (done || controllers.length >= this.limit) return;
        const attempt = controllers.length;
        const controller = new AbortController();
        controllers.push(controller);
        trace.emit('hedge.attempt', name, { call, attempt, reason });
        clearTimeout(timer);
        timer = setTimeout(() => launch('delay'), this.config.delay);
        fn(attempt, controller.signal).then(
          (value) => {
            settled[attempt] = true;
            if (done) return trace.emit('hedge.late', name, { call, attempt, outcome: 'success' });
            done = true;
            clearTimeout(timer);
            trace.emit('hedge.success', name, { call, attempt, attempts: controllers.length });
            controllers.forEach((other, k) => {
              if (k === attempt || settled[k] || this.bug === 'losers not aborted') return;
              trace.emit('hedge.aborted', name, { call, attempt: k });
              other.abort();
            });
            resolve(value);
          },
          (error: unknown) => {
            settled[attempt] = true;
            if (done) return trace.emit('hedge.late', name, { call, attempt, outcome: 'failure' });
            failures++;
            trace.emit('hedge.failure', name, { call, attempt, error: errorData(error) });
            if (controllers.length < this.limit) return launch('failure');
            if (failures < controllers.length) return;
            done = true;
            clearTimeout(timer);
            trace.emit('hedge.exhausted', name, { call, attempts: controllers.length });
            reject(error);
          },
        );
      };
      launch('first');
    });
  }
}

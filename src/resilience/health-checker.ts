/*
 * Active health checks for a load balancer's backends: every `interval` on the
 * clock each backend is checked (a check still running from the previous round
 * is not started twice); a check that resolves `false`, throws, or is still
 * pending after `timeout` is a failure. `unhealthyThreshold` consecutive
 * failures mark a healthy backend unhealthy, `healthyThreshold` consecutive
 * passes mark an unhealthy one healthy again. Backends start healthy.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, functionOption, integerAtLeast, optionPath } from '../options/validate.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { type Duration, duration } from '../time/duration.js';

export interface HealthCheckOptions<B> {
  /** Time between rounds of checks; the first round runs one interval after creation. Required. */
  interval: Duration;
  /** `true` when the backend is healthy. A throw counts as `false`. Required. */
  check: (backend: B, signal: AbortSignal) => boolean | PromiseLike<boolean>;
  /** Consecutive failed checks that mark a backend unhealthy. Default 3. */
  unhealthyThreshold?: number;
  /** Consecutive passed checks that mark an unhealthy backend healthy. Default 2. */
  healthyThreshold?: number;
  /** A check pending this long fails (its signal aborts). Default: `interval`. */
  timeout?: Duration;
}

/** Normalized health-check settings (as declared in the trace). */
export interface HealthCheckSettings {
  intervalMs: number;
  timeoutMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

const KEYS = ['interval', 'check', 'unhealthyThreshold', 'healthyThreshold', 'timeout'];

/** Validates `loadBalancer({ healthCheck })`. */
export function healthCheckSettings<B>(options: HealthCheckOptions<B>): {
  settings: HealthCheckSettings;
  check: HealthCheckOptions<B>['check'];
} {
  const owner = 'loadBalancer.healthCheck';
  const o = checkOptions(owner, options, KEYS, true);
  const check = functionOption<HealthCheckOptions<B>['check']>(optionPath(owner, 'check'), o.check);
  if (check === undefined)
    throw new ConfigError(
      optionPath(owner, 'check'),
      undefined,
      'a function (backend, signal) => boolean | Promise<boolean>',
    );
  if (o.interval === undefined)
    throw new ConfigError(optionPath(owner, 'interval'), undefined, 'a duration > 0');
  const intervalMs = duration(o.interval, optionPath(owner, 'interval'));
  if (intervalMs <= 0) throw new ConfigError(optionPath(owner, 'interval'), o.interval, 'a duration > 0');
  const timeoutMs = o.timeout === undefined ? intervalMs : duration(o.timeout, optionPath(owner, 'timeout'));
  return {
    check,
    settings: {
      intervalMs,
      timeoutMs,
      unhealthyThreshold: integerAtLeast(
        optionPath(owner, 'unhealthyThreshold'),
        o.unhealthyThreshold ?? 3,
        1,
      ),
      healthyThreshold: integerAtLeast(optionPath(owner, 'healthyThreshold'), o.healthyThreshold ?? 2, 1),
    },
  };
}

/** Runs the checks and tracks each backend's health. */
export class HealthChecker<B> {
  private readonly healthy: boolean[];
  private readonly passes: number[];
  private readonly fails: number[];
  private readonly pending: (AbortController | undefined)[];
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly backends: readonly B[],
    private readonly settings: HealthCheckSettings,
    private readonly check: HealthCheckOptions<B>['check'],
    private readonly clock: Clock,
    /** Every check's outcome, then (when the backend's health changed) the new health. */
    private readonly report: (index: number, ok: boolean, error: unknown, changed: boolean) => void,
  ) {
    const n = backends.length;
    this.healthy = new Array<boolean>(n).fill(true);
    this.passes = new Array<number>(n).fill(0);
    this.fails = new Array<number>(n).fill(0);
    this.pending = new Array<AbortController | undefined>(n).fill(undefined);
    this.arm();
  }

  isHealthy(index: number): boolean {
    return this.healthy[index]!;
  }

  /** Stops the checks: no more rounds, pending checks aborted and ignored. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (const c of this.pending) c?.abort(new DOMException('health checks stopped', 'AbortError'));
  }

  private arm(): void {
    this.timer = this.clock.setTimer(this.settings.intervalMs, () => {
      this.timer = undefined;
      if (this.stopped) return;
      this.arm();
      for (let i = 0; i < this.backends.length; i++) if (this.pending[i] === undefined) this.run(i);
    });
  }

  private run(i: number): void {
    const controller = new AbortController();
    this.pending[i] = controller;
    let done = false;
    const finish = (ok: boolean, error: unknown) => {
      if (done) return;
      done = true;
      deadline.cancel();
      this.pending[i] = undefined;
      if (!this.stopped) this.record(i, ok, error);
    };
    const deadline = this.clock.setTimer(this.settings.timeoutMs, () => {
      const reason = new DOMException(
        `health check timed out after ${this.settings.timeoutMs}ms`,
        'TimeoutError',
      );
      controller.abort(reason);
      finish(false, reason);
    });
    let result: boolean | PromiseLike<boolean>;
    try {
      result = this.check(this.backends[i]!, controller.signal);
    } catch (error) {
      finish(false, error);
      return;
    }
    Promise.resolve(result).then(
      (ok) => finish(ok === true, undefined),
      (error: unknown) => finish(false, error),
    );
  }

  private record(i: number, ok: boolean, error: unknown): void {
    let changed = false;
    if (ok) {
      this.fails[i] = 0;
      this.passes[i]!++;
      if (!this.healthy[i] && this.passes[i]! >= this.settings.healthyThreshold) {
        this.healthy[i] = true;
        changed = true;
      }
    } else {
      this.passes[i] = 0;
      this.fails[i]!++;
      if (this.healthy[i] && this.fails[i]! >= this.settings.unhealthyThreshold) {
        this.healthy[i] = false;
        changed = true;
      }
    }
    this.report(i, ok, error, changed);
  }
}

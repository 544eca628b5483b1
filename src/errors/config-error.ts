import { FaultlineError, hasCode } from './faultline-error.js';

/**
 * Invalid options or configuration. The message names the option, the value
 * received and what is allowed.
 *
 * @example
 * ```ts
 * try { duration('ten seconds') } catch (e) { if (ConfigError.is(e)) console.log(e.path) }
 * ```
 */
export class ConfigError extends FaultlineError {
  /** The option or key path that was wrong, e.g. `error_routing.retry.base_delay_ms`. */
  readonly path: string;
  readonly value: unknown;

  constructor(path: string, value: unknown, allowed: string, options?: { line?: number; cause?: unknown }) {
    const where = options?.line !== undefined ? ` (line ${options.line})` : '';
    super('CONFIG', `${path}${where}: got ${describeValue(value)}; expected ${allowed}`, options);
    this.path = path;
    this.value = value;
  }

  static override is(value: unknown): value is ConfigError {
    return hasCode(value, 'CONFIG');
  }
}

/** Renders a bad value for an error message: strings quoted, objects as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

import { ConfigError } from '../errors/config-error.js';
import { isAsymmetric } from './context.js';

/** The states a faultline breaker can be in. */
export const BREAKER_STATES = ['closed', 'open', 'half-open', 'isolated'] as const;

/** A breaker state name, or an asymmetric matcher. */
export function breakerStateArg(path: string, value: unknown): unknown {
  if (isAsymmetric(value) || (BREAKER_STATES as readonly unknown[]).includes(value)) return value;
  throw new ConfigError(
    path,
    value,
    `one of ${BREAKER_STATES.map((s) => `'${s}'`).join(', ')} or an asymmetric matcher`,
  );
}

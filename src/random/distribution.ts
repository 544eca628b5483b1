import type { Random } from './random.js';

/**
 * A probability distribution as a value. Sample it from a stream:
 * `random.sample(dist.exponential('200ms'))`. Time-valued distributions return
 * milliseconds and never return a negative or non-finite number.
 */
export interface Distribution {
  /** Short description used in traces and messages, e.g. `lognormal(median=800, p99=6000)`. */
  readonly description: string;
  sample(random: Random): number;
}

import seedrandom from 'seedrandom';
import { ConfigError } from '../errors/config-error.js';

/** A seed: any integer or string. The same seed always gives the same streams. */
export type Seed = number | string;

/**
 * A seeded random stream. Streams fork by name: `random.fork('llm')` depends only
 * on the parent's path and the name, never on how many draws anyone made, so adding
 * a component never shifts another component's draws.
 *
 * @example
 * ```ts
 * const r = seededRandom(42);
 * r.fork('llm').next(); // same value on every run with seed 42
 * ```
 */
export interface Random {
  /** The stream's path, e.g. `42/service:llm`. */
  readonly path: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number;
  /** True with probability `rate` in [0, 1]. */
  chance(rate: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new independent stream derived from this one's path and `name`. */
  fork(name: string): Random;
  /** Draws a sample from a distribution (see `dist`). */
  sample(distribution: { sample(random: Random): number }): number;
}

class SeededRandom implements Random {
  readonly path: string;
  private readonly prng: () => number;

  constructor(path: string) {
    this.path = path;
    this.prng = seedrandom.alea(path);
  }

  next(): number {
    return this.prng();
  }

  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new ConfigError('random.int(min, max)', [min, max], 'integers with min <= max');
    }
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  uniform(min: number, max: number): number {
    return min + this.prng() * (max - min);
  }

  chance(rate: number): boolean {
    if (!(rate >= 0 && rate <= 1)) throw new ConfigError('rate', rate, 'a probability in [0, 1]');
    return rate > 0 && this.prng() < rate;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new ConfigError('random.pick(items)', items, 'a non-empty array');
    return items[Math.floor(this.prng() * items.length)]!;
  }

  fork(name: string): Random {
    return new SeededRandom(`${this.path}/${name}`);
  }

  sample(distribution: { sample(random: Random): number }): number {
    return distribution.sample(this);
  }
}

/**
 * The root random stream of a seed (what `simulate` forks every component's
 * stream from). Named for what it returns, as every faultline factory is.
 *
 * @example
 * ```ts
 * const backoff = retry({ maxRetries: 3, random: seededRandom(7).fork('retry') });
 * ```
 */
export function seededRandom(seed: Seed): Random {
  return new SeededRandom(String(seed));
}

import { InvalidArgumentError } from 'commander';
import type { Seed } from '../random/random.js';
import { canonicalSeed } from '../simulators/kernel/seed.js';
import { duration } from '../time/duration.js';

/*
 * Parsers for option values: each returns the value or throws commander's
 * InvalidArgumentError, which commander prints as
 * `error: option '--runs <n>' argument 'x' is invalid. <why>` with exit code 1.
 */

export function integerValue(min: number) {
  return (text: string): number => {
    if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError(`Expected an integer >= ${min}.`);
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`Expected an integer >= ${min}.`);
    return n;
  };
}

/** A seed as `simulate` takes it: `42` is the number 42, any other text is a string seed. */
export const seedValue = (text: string): Seed => {
  const seed = text.trim();
  if (seed === '') throw new InvalidArgumentError('Expected a seed: an integer, e.g. --seed 42, or a text.');
  return canonicalSeed(seed);
};

export const durationValue = (text: string): number => {
  try {
    return duration(/^\d+(\.\d+)?$/.test(text) ? Number(text) : text, 'duration');
  } catch {
    throw new InvalidArgumentError('Expected a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds).');
  }
};

export interface Shard {
  /** 1-based index of this shard. */
  readonly index: number;
  readonly count: number;
}

export const shardValue = (text: string): Shard => {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index < 1 || index > count)
    throw new InvalidArgumentError('Expected i/n with 1 <= i <= n, e.g. --shard 2/4.');
  return { index, count };
};

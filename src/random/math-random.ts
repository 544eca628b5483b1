import { ConfigError } from '../errors/config-error.js';
import type { Random } from './random.js';

/**
 * A `Random` over `Math.random`, read at call time. It is the default for
 * resilience primitives created outside a simulation: in production jitter must
 * differ between processes. Inside `simulate`, `Math.random` is the run's seeded
 * stream, so this stays deterministic there.
 */
export const mathRandom: Random = {
  path: 'Math.random',
  next: () => Math.random(),
  int(min, max) {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new ConfigError('random.int(min, max)', [min, max], 'integers with min <= max');
    }
    return min + Math.floor(Math.random() * (max - min + 1));
  },
  uniform: (min, max) => min + Math.random() * (max - min),
  chance(rate) {
    if (!(rate >= 0 && rate <= 1)) throw new ConfigError('rate', rate, 'a probability in [0, 1]');
    return rate > 0 && Math.random() < rate;
  },
  pick(items) {
    if (items.length === 0) throw new ConfigError('random.pick(items)', items, 'a non-empty array');
    return items[Math.floor(Math.random() * items.length)]!;
  },
  fork: () => mathRandom,
  sample: (distribution) => distribution.sample(mathRandom),
};

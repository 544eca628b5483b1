/*
 * `faults.latency`: extra latency drawn from a distribution, added to the
 * service's own latency (latency faults add up).
 */
import type { Distribution } from '../random/distribution.js';
import { sampleMs, toDistribution } from '../random/to-distribution.js';
import type { Duration } from '../time/duration.js';
import { defineFault, type Fault } from './fault.js';

/**
 * Adds a delay to every call, sampled from `dist` (or a fixed duration) with
 * the service's seeded fault stream. Combine with `when` for latency spikes.
 *
 * @example
 * ```ts
 * faults.latency(dist.lognormal({ median: '300ms', p99: '4s' }))
 * faults.when({ probability: 0.1 }, faults.latency('5s'))
 * ```
 */
export function latency(dist: Distribution | Duration): Fault {
  const d = toDistribution('faults.latency(distribution)', dist);
  return defineFault('latency', `latency(${d.description})`, () => ({ random }) => {
    const ms = sampleMs(d, random);
    return ms > 0 ? [{ type: 'delay', fault: 'latency', stage: 'latency', ms }] : [];
  });
}

/*
 * `faults.swarm`: swarm testing. Each seed enables its own subset of a fault
 * list (and, for the default list, its own parameters), so a batch of seeds
 * explores many fault mixes instead of one fixed schedule.
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, optionPath, probability } from '../options/validate.js';
import { exponential } from '../random/dist.js';
import type { Random } from '../random/random.js';
import { errors } from './errors.js';
import { type Fault, type FaultDecider, isFault } from './fault.js';
import { flapping } from './flapping.js';
import { latency } from './latency.js';
import { outage } from './outage.js';
import { overloaded } from './overloaded.js';
import { type RetryAfterForm, rateLimit } from './rate-limit.js';
import { reset } from './reset.js';
import { responseLost } from './response-lost.js';
import { streamError } from './stream-error.js';
import { truncate } from './truncate.js';

export interface SwarmOptions {
  /**
   * Candidate faults. Default: a catalog mix (errors, latency, 529, resets,
   * rate limiting, an outage, flapping, lost responses, stream errors and
   * truncation) whose parameters are also drawn per seed. Hangs are not in the
   * default mix (they need a timeout on the caller); add them explicitly.
   */
  faults?: readonly Fault[];
  /** Probability that each candidate is enabled, in [0, 1]. Default 0.5. At least one is always enabled. */
  enable?: number;
}

type Candidate = (random: Random) => Fault;

const DEFAULT_CANDIDATES: readonly Candidate[] = [
  (r) => errors({ rate: round(r.uniform(0.01, 0.2)), status: r.pick([500, 502, 503, 504]) }),
  (r) => latency(exponential(Math.round(r.uniform(20, 500)))),
  (r) => overloaded({ rate: round(r.uniform(0.01, 0.1)) }),
  (r) => reset({ rate: round(r.uniform(0.005, 0.05)) }),
  (r) =>
    rateLimit({
      limit: r.int(5, 60),
      per: '1m',
      form: r.pick<RetryAfterForm>(['seconds', 'ms', 'date']),
    }),
  (r) => outage({ at: Math.round(r.uniform(0, 600_000)), for: Math.round(r.uniform(5_000, 120_000)) }),
  (r) => {
    const period = r.int(10, 120) * 1000;
    return flapping({ period, downFor: Math.round(period * r.uniform(0.1, 0.5)) });
  },
  (r) => responseLost({ rate: round(r.uniform(0.005, 0.05)) }),
  (r) => streamError({ afterChunks: r.int(0, 20), rate: round(r.uniform(0.01, 0.1)) }),
  (r) => truncate({ afterChunks: r.int(0, 20), rate: round(r.uniform(0.01, 0.1)) }),
];

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Enables a per-seed subset of `faults` (default: the catalog mix above with
 * per-seed parameters). The choice is made once per service from its fault
 * stream, so the same seed always gives the same mix; the service traces the
 * chosen mix in its `service.create` event. Precedence among the enabled
 * faults follows the list order, as for a plain list.
 *
 * @example
 * ```ts
 * sim.service('llm', { faults: [faults.swarm()], handle })
 * faults.swarm({ faults: [faults.reset({ rate: 0.1 }), faults.hang({ rate: 0.01 })], enable: 0.3 })
 * ```
 */
export function swarm(options?: SwarmOptions): Fault {
  const o = checkOptions('faults.swarm', options, ['faults', 'enable']);
  const enable = o.enable === undefined ? 0.5 : probability(optionPath('faults.swarm', 'enable'), o.enable);
  let candidates: readonly Candidate[] = DEFAULT_CANDIDATES;
  if (o.faults !== undefined) {
    if (!Array.isArray(o.faults) || o.faults.length === 0 || !o.faults.every(isFault)) {
      throw new ConfigError(optionPath('faults.swarm', 'faults'), o.faults, 'a non-empty list of faults');
    }
    candidates = o.faults.map((f) => () => f);
  }
  const description = `swarm(enable=${enable}, of ${o.faults === undefined ? 'the default mix' : o.faults.length})`;
  return {
    kind: 'swarm',
    description,
    start(random: Random): FaultDecider {
      const choose = random.fork('choose');
      const picked: number[] = [];
      for (let i = 0; i < candidates.length; i++) if (choose.chance(enable)) picked.push(i);
      if (picked.length === 0) picked.push(choose.int(0, candidates.length - 1));
      const started = picked.map((i) => {
        const stream = random.fork(`candidate:${i}`);
        return { decider: candidates[i]!(stream.fork('params')).start(stream), stream };
      });
      return {
        description: `swarm[${started.map((s) => s.decider.description).join(', ')}]`,
        decide: (context) =>
          started.flatMap(({ decider, stream }) => decider.decide({ ...context, random: stream })),
      };
    },
  };
}

/*
 * `faults.malformed`: the service does the work and answers, but the payload
 * is not the JSON the caller expects (cut short, the wrong shape, empty, or an
 * HTML page from a proxy in front of the service).
 */
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, oneOf, optionPath, probability } from '../options/validate.js';
import { defineFault, type Fault, type MalformedEffect, type MalformedKind } from './fault.js';

/** Every malformed payload kind, in the order `kind`-less faults pick from. */
export const MALFORMED_KINDS: readonly MalformedKind[] = ['truncated-json', 'wrong-shape', 'empty', 'html'];

export interface MalformedOptions {
  /** Fraction of calls whose payload is malformed, in [0, 1]. */
  rate: number;
  /**
   * How the payload is broken. Default: one of the four, picked per malformed
   * call from the fault's seeded stream.
   * - `truncated-json`: the JSON text cut in the middle (does not parse);
   * - `wrong-shape`: valid JSON without the expected fields;
   * - `empty`: an empty body;
   * - `html`: an HTML error page, as a proxy or load balancer sends it.
   */
  kind?: MalformedKind;
  /** HTTP status of the malformed reply: 200 (default), or an error status such as 502. */
  status?: number;
}

/**
 * With probability `rate`, the handler runs (its work is applied) and the
 * reply at the usual time is malformed. Over HTTP (`respond`) the reply has the
 * chosen status and the broken body. Through `call()` the caller gets what an
 * SDK would give it: a `ServiceError` with code `'MALFORMED'` (no status, the
 * raw text as `body`) when a 200 body does not parse (`truncated-json`,
 * `empty`, `html`), the unexpected value itself for `wrong-shape` (SDKs do not
 * validate shapes: the caller's own code must), and a `ServiceError` with that
 * status for an error status. Generic services wrap the handler's value as
 * `{ data: value }` for `wrong-shape`; LLM services drop `choices` (OpenAI) or
 * `content` (Anthropic). In a streamed LLM call, `truncated-json` and
 * `wrong-shape` break the first content event, `empty` sends no events, `html`
 * replaces the stream. Traced `fault.injected` `{ effect: 'malformed', kind, status }`.
 *
 * @example
 * ```ts
 * faults.malformed({ rate: 0.02 })                                // any kind, 200
 * faults.malformed({ rate: 0.01, kind: 'html', status: 502 })     // nginx "502 Bad Gateway" page
 * ```
 */
export function malformed(options: MalformedOptions): Fault {
  const o = checkOptions('faults.malformed', options, ['rate', 'kind', 'status'], true);
  const rate = probability(optionPath('faults.malformed', 'rate'), o.rate);
  const kind =
    o.kind === undefined ? undefined : oneOf(optionPath('faults.malformed', 'kind'), o.kind, MALFORMED_KINDS);
  const status = o.status ?? 200;
  if (
    typeof status !== 'number' ||
    !Number.isInteger(status) ||
    !(status === 200 || (status >= 400 && status <= 599))
  ) {
    throw new ConfigError(
      optionPath('faults.malformed', 'status'),
      o.status,
      '200, or an HTTP error status (an integer in [400, 599])',
    );
  }
  const effect = (k: MalformedKind): MalformedEffect => ({
    type: 'malformed',
    fault: 'malformed',
    stage: 'response',
    kind: k,
    status,
  });
  const fixed = kind === undefined ? undefined : effect(kind);
  return defineFault(
    'malformed',
    `malformed(rate=${rate}, kind=${kind ?? 'any'}, status=${status})`,
    () =>
      ({ random }) => {
        if (!random.chance(rate)) return [];
        return [fixed ?? effect(random.pick(MALFORMED_KINDS))];
      },
  );
}

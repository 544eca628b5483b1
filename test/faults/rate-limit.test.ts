import { describe, expect, it } from 'vitest';
import type { ServiceError } from '../../src/errors/service-error.js';
import { faults, type RetryAfterForm } from '../../src/faults/index.js';
import { type Sim, type SimulationResult, simulate } from '../../src/index.js';
import { createService } from '../../src/simulators/services/service.js';

async function run<T>(seed: number, body: (sim: Sim) => Promise<T>): Promise<SimulationResult<T>> {
  const result = await simulate({ seed }, body);
  if (result.error) throw result.error;
  return result;
}

const EPOCH = Date.UTC(2025, 0, 1);

interface Seen {
  t: number;
  status: number | 'ok';
  headers?: Readonly<Record<string, string>>;
}

/** Calls made at each time in `times` against a rateLimit fault; what each saw. */
async function probe(
  options: { limit: number; per: string; retryAfter?: string; form?: RetryAfterForm },
  times: readonly number[],
): Promise<Seen[]> {
  const result = await run(1, async (sim) => {
    const ctx = {
      clock: sim.clock,
      random: sim.rootRandom.fork('service:api'),
      trace: sim.trace,
      epoch: Date.now() - sim.now(),
    };
    const s = createService(ctx, 'api', { faults: [faults.rateLimit(options)], handle: () => 'ok' });
    const out: Seen[] = [];
    for (const t of times) {
      await sim.sleep(t - sim.now());
      out.push(
        await s.call(null).then(
          (): Seen => ({ t, status: 'ok' }),
          (e: ServiceError): Seen => ({ t, status: e.status!, headers: e.headers }),
        ),
      );
    }
    return out;
  });
  return result.value!;
}

describe('faults.rateLimit', () => {
  it('admits `limit` calls per fixed window, then 429 until the window ends', async () => {
    const seen = await probe(
      { limit: 3, per: '10s' },
      [0, 0, 0, 0, 2_500, 9_999, 10_000, 10_000, 10_000, 10_000],
    );
    expect(seen.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 429, 429, 429, 'ok', 'ok', 'ok', 429]);
    expect(seen[3]!.headers).toEqual({
      'retry-after': '10',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '10',
    });
    expect(seen[4]!.headers!['retry-after']).toBe('8'); // 7.5 s left, rounded up
    expect(seen[5]!.headers!['retry-after']).toBe('1'); // 1 ms left
  });

  it('writes Retry-After in milliseconds with form "ms"', async () => {
    const seen = await probe({ limit: 1, per: '10s', form: 'ms' }, [0, 2_500, 9_999]);
    expect(seen[1]!.headers!['retry-after-ms']).toBe('7500');
    expect(seen[1]!.headers!['retry-after']).toBeUndefined();
    expect(seen[2]!.headers!['retry-after-ms']).toBe('1');
  });

  it('writes Retry-After as an HTTP-date with form "date"', async () => {
    const seen = await probe({ limit: 1, per: '10s', form: 'date' }, [0, 2_500]);
    const header = seen[1]!.headers!['retry-after']!;
    expect(header).toBe('Wed, 01 Jan 2025 00:00:10 GMT');
    expect(Date.parse(header) - (EPOCH + 2_500)).toBe(7_500);
  });

  it('advertises a fixed retryAfter when given, in each form', async () => {
    const seconds = await probe({ limit: 1, per: '1m', retryAfter: '1500ms' }, [0, 100]);
    expect(seconds[1]!.headers!['retry-after']).toBe('2');
    const ms = await probe({ limit: 1, per: '1m', retryAfter: '1500ms', form: 'ms' }, [0, 100]);
    expect(ms[1]!.headers!['retry-after-ms']).toBe('1500');
    const date = await probe({ limit: 1, per: '1m', retryAfter: '1500ms', form: 'date' }, [0, 100]);
    expect(date[1]!.headers!['retry-after']).toBe('Wed, 01 Jan 2025 00:00:02 GMT'); // 1.6 s rounded up
  });

  it('traces the wait the caller was asked for', async () => {
    const result = await run(1, async (sim) => {
      const ctx = { clock: sim.clock, random: sim.rootRandom.fork('service:api'), trace: sim.trace };
      const s = createService(ctx, 'api', {
        faults: [faults.rateLimit({ limit: 1, per: '1s' })],
        handle: () => 'ok',
      });
      await s.call(null);
      await sim.sleep(300);
      await s.call(null).catch(() => {});
    });
    expect(result.trace.ofKind('fault.injected').map((e) => [e.t, e.data])).toEqual([
      [
        300,
        {
          call: 1,
          fault: 'rateLimit',
          effect: 'status',
          status: 429,
          errorType: 'rate_limit_error',
          retryAfterMs: 1000,
        },
      ],
    ]);
  });
});

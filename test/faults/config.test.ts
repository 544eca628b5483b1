import { describe, expect, it } from 'vitest';
import { faults } from '../../src/faults/index.js';
import { ConfigError } from '../../src/index.js';

function messageOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    if (ConfigError.is(error)) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const inner = faults.errors({ rate: 1 });

describe('fault parameters', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'errors rate',
      () => faults.errors({ rate: 1.5 }),
      'faults.errors({ rate }): got 1.5; expected a probability in [0, 1]',
    ],
    [
      'errors rate missing',
      () => faults.errors({} as any),
      'faults.errors({ rate }): got undefined; expected a probability in [0, 1]',
    ],
    [
      'errors status',
      () => faults.errors({ rate: 0.1, status: 200 }),
      'faults.errors({ status }): got 200; expected an HTTP error status (an integer in [400, 599]) or a non-empty list of them',
    ],
    [
      'errors status and error',
      () => faults.errors({ rate: 0.1, status: 503, error: 'overloaded' }),
      'faults.errors({ error }): got "overloaded"; expected either status or error, not both',
    ],
    [
      'errors error name',
      () => faults.errors({ rate: 0.1, error: 'nope' as any }),
      'faults.errors({ error }): got "nope"; expected one of',
    ],
    [
      'unknown key',
      () => faults.errors({ rat: 0.1 } as any),
      'faults.errors({ rat }): got 0.1; expected one of the known options: rate, status, error',
    ],
    ['options not an object', () => faults.errors(0.1 as any), 'faults.errors(options): got 0.1'],
    ['latency', () => faults.latency('fast'), 'faults.latency(distribution): got "fast"'],
    [
      'hang rate',
      () => faults.hang({ rate: -0.1 }),
      'faults.hang({ rate }): got -0.1; expected a probability in [0, 1]',
    ],
    [
      'timeout status without after',
      () => faults.timeout({ status: 504 }),
      'faults.timeout({ after }): got undefined; expected a duration when status is set',
    ],
    [
      'outage for',
      () => faults.outage({ at: '10s', for: 0 }),
      'faults.outage({ for }): got 0; expected a duration > 0',
    ],
    ['outage at', () => faults.outage({ at: 'noon', for: '1m' }), 'faults.outage({ at }): got "noon"'],
    [
      'flapping downFor',
      () => faults.flapping({ period: '10s', downFor: '10s' }),
      'faults.flapping({ downFor }): got "10s"; expected a duration < period (10000 ms)',
    ],
    [
      'rateLimit limit',
      () => faults.rateLimit({ limit: 1.5, per: '1s' }),
      'faults.rateLimit({ limit }): got 1.5; expected an integer >= 0',
    ],
    [
      'rateLimit per',
      () => faults.rateLimit({ limit: 1, per: 0 }),
      'faults.rateLimit({ per }): got 0; expected a duration > 0',
    ],
    [
      'rateLimit form',
      () => faults.rateLimit({ limit: 1, per: '1s', form: 'minutes' as any }),
      `faults.rateLimit({ form }): got "minutes"; expected one of "seconds", "ms", "date"`,
    ],
    [
      'overloaded rate',
      () => faults.overloaded({ rate: 2 }),
      'faults.overloaded({ rate }): got 2; expected a probability in [0, 1]',
    ],
    [
      'reset code',
      () => faults.reset({ code: 'EWHAT' as any }),
      'faults.reset({ code }): got "EWHAT"; expected one of',
    ],
    [
      'responseLost rate',
      () => faults.responseLost({ rate: Number.NaN }),
      'faults.responseLost({ rate }): got NaN',
    ],
    [
      'degrade error-rate from',
      () => faults.degrade({ from: '1s', to: 1, over: '1m', status: 503 }),
      'faults.degrade({ from }): got "1s"; expected a probability in [0, 1] (status or error is set)',
    ],
    [
      'degrade over',
      () => faults.degrade({ from: 0, to: '1s', over: 0 }),
      'faults.degrade({ over }): got 0; expected a duration > 0',
    ],
    [
      'when probability',
      () => faults.when({ probability: 2 }, inner),
      'faults.when({ probability }): got 2; expected a probability in [0, 1]',
    ],
    [
      'when between order',
      () => faults.when({ between: ['2s', '1s'] }, inner),
      'faults.when({ between }): got ["2s","1s"]; expected a pair [from, to] with to > from',
    ],
    [
      'when afterCalls',
      () => faults.when({ afterCalls: -1 }, inner),
      'faults.when({ afterCalls }): got -1; expected an integer >= 0',
    ],
    [
      'when fault',
      () => faults.when({}, 'x' as any),
      'faults.when(options, fault): got "x"; expected a fault from the faults catalog',
    ],
    [
      'swarm enable',
      () => faults.swarm({ enable: 3 }),
      'faults.swarm({ enable }): got 3; expected a probability in [0, 1]',
    ],
    [
      'swarm faults',
      () => faults.swarm({ faults: [] }),
      'faults.swarm({ faults }): got []; expected a non-empty list of faults',
    ],
    [
      'streamError afterChunks',
      () => faults.streamError({ afterChunks: -1 }),
      'faults.streamError({ afterChunks }): got -1; expected an integer >= 0',
    ],
    [
      'stall afterChunks',
      () => faults.stall({ afterChunks: 1.5 }),
      'faults.stall({ afterChunks }): got 1.5; expected an integer >= 0',
    ],
    [
      'truncate rate',
      () => faults.truncate({ afterChunks: 1, rate: 7 }),
      'faults.truncate({ rate }): got 7; expected a probability in [0, 1]',
    ],
    [
      'malformed rate missing',
      () => faults.malformed({} as any),
      'faults.malformed({ rate }): got undefined; expected a probability in [0, 1]',
    ],
    [
      'malformed kind',
      () => faults.malformed({ rate: 0.1, kind: 'xml' as any }),
      `faults.malformed({ kind }): got "xml"; expected one of "truncated-json", "wrong-shape", "empty", "html"`,
    ],
    [
      'malformed status',
      () => faults.malformed({ rate: 0.1, status: 301 }),
      'faults.malformed({ status }): got 301; expected 200, or an HTTP error status (an integer in [400, 599])',
    ],
    [
      'malformed unknown key',
      () => faults.malformed({ rate: 0.1, kinds: ['html'] } as any),
      'faults.malformed({ kinds }): got ["html"]; expected one of the known options: rate, kind, status',
    ],
    [
      'slowStream neither speed',
      () => faults.slowStream({ rate: 0.5 }),
      'faults.slowStream({ tokensPerSecond }): got undefined; expected exactly one of tokensPerSecond or chunkDelay',
    ],
    [
      'slowStream both speeds',
      () => faults.slowStream({ tokensPerSecond: 2, chunkDelay: '1s' }),
      'faults.slowStream({ tokensPerSecond }): got 2; expected exactly one of tokensPerSecond or chunkDelay',
    ],
    [
      'slowStream tokensPerSecond',
      () => faults.slowStream({ tokensPerSecond: 0 }),
      'faults.slowStream({ tokensPerSecond }): got 0; expected a finite number > 0',
    ],
    [
      'slowStream chunkDelay',
      () => faults.slowStream({ chunkDelay: 'slow' }),
      'faults.slowStream({ chunkDelay }): got "slow"',
    ],
    [
      'slowStream rate',
      () => faults.slowStream({ rate: 2, tokensPerSecond: 1 }),
      'faults.slowStream({ rate }): got 2; expected a probability in [0, 1]',
    ],
    [
      'slowStream options missing',
      () => faults.slowStream(undefined as any),
      'faults.slowStream(options): got undefined; expected an options object with keys rate, tokensPerSecond, chunkDelay',
    ],
    [
      'finishReason reason',
      () => faults.finishReason({ rate: 1, reason: 'stop' as any }),
      `faults.finishReason({ reason }): got "stop"; expected one of "length", "content_filter"`,
    ],
    [
      'finishReason rate',
      () => faults.finishReason({ rate: -1, reason: 'length' }),
      'faults.finishReason({ rate }): got -1; expected a probability in [0, 1]',
    ],
    [
      'emptyContent rate',
      () => faults.emptyContent({ rate: '10%' as any }),
      'faults.emptyContent({ rate }): got "10%"; expected a probability in [0, 1]',
    ],
    [
      'invalidToolCall options',
      () => faults.invalidToolCall(0.1 as any),
      'faults.invalidToolCall(options): got 0.1; expected an options object with keys rate',
    ],
    [
      'invalidToolCall unknown key',
      () => faults.invalidToolCall({ rate: 0.1, tool: 'x' } as any),
      'faults.invalidToolCall({ tool }): got "x"; expected one of the known options: rate',
    ],
  ];

  it.each(cases)('%s → ConfigError naming the option and the value', (_, build, expected) => {
    expect(messageOf(build)).toContain(expected);
  });

  it('accepts valid parameters', () => {
    expect(faults.errors({ rate: 0.05, status: [500, 503] }).description).toBe(
      'errors(rate=0.05, status=[500,503])',
    );
    expect(faults.outage({ at: '10m', for: '2m' }).description).toBe(
      'outage(at=600000, for=120000, status=503)',
    );
    expect(faults.when({ afterCalls: 3 }, inner).kind).toBe('when');
    expect(faults.timeout({ after: '1s', status: 504 }).kind).toBe('timeout');
    expect(faults.malformed({ rate: 0.1 }).description).toBe('malformed(rate=0.1, kind=any, status=200)');
    expect(faults.malformed({ rate: 1, kind: 'html', status: 502 }).description).toBe(
      'malformed(rate=1, kind=html, status=502)',
    );
    expect(faults.slowStream({ tokensPerSecond: 4 }).description).toBe(
      'slowStream(rate=1, tokensPerSecond=4)',
    );
    expect(faults.slowStream({ rate: 0.2, chunkDelay: '2s' }).description).toBe(
      'slowStream(rate=0.2, chunkDelay=constant(2000))',
    );
    expect(faults.finishReason({ rate: 0.1, reason: 'content_filter' }).description).toBe(
      'finishReason(rate=0.1, reason=content_filter)',
    );
    expect(faults.emptyContent({ rate: 0 }).description).toBe('emptyContent(rate=0)');
    expect(faults.invalidToolCall({ rate: 1 }).kind).toBe('invalidToolCall');
  });
});

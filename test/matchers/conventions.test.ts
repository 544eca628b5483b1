import 'faultline/vitest';
import { ConfigError, type SimulationResult } from 'faultline';
import { matchers } from 'faultline/matchers';
import { beforeAll, describe, expect, it } from 'vitest';
import { outage, run } from './scenarios.js';

/*
 * Conventions every matcher follows: a received value that is not a simulation
 * result throws (with or without .not), wrong or extra arguments throw a
 * ConfigError, and every message ends with the seed and the rerun command.
 */

let result: SimulationResult;
beforeAll(async () => {
  result = await run(3, outage);
});

/** One valid call per matcher, used to probe the conventions on each. */
const validArgs: Record<keyof typeof matchers, unknown[]> = {
  toHaveTrippedBreaker: ['llm'],
  toHaveBreakerState: ['llm', 'closed'],
  toHaveBreakerTransitions: ['llm', ['closed']],
  toHaveRejectedCalls: ['llm'],
  toHaveRetried: [1],
  toHaveHonoredRetryAfter: [],
  toHaveCalledService: ['llm'],
  toHaveInjectedFault: ['outage'],
  toHaveCompletedWithin: ['1m'],
  toHaveSucceeded: [],
  toHaveFailedWith: [Error],
  toHaveFallenBackTo: ['cache'],
  toHaveNoRetryStorm: [{ maxAmplification: 2 }],
  toSatisfyInvariants: [],
  toBeDeterministic: [],
};

type Call = (...args: unknown[]) => unknown;
const assertion = (value: unknown, name: string, not = false): Call => {
  const a = (not ? expect(value).not : expect(value)) as unknown as Record<string, Call>;
  return (...args) => a[name]!(...args);
};

describe('matcher conventions', () => {
  it('every matcher in faultline/matchers is registered by faultline/vitest', () => {
    expect(Object.keys(validArgs).sort()).toEqual(Object.keys(matchers).sort());
    for (const name of Object.keys(matchers)) expect(typeof assertion(result, name)).toBe('function');
  });

  it.each(Object.keys(validArgs))(
    '%s throws on a received value that is not a result, even under .not',
    async (name) => {
      const args = validArgs[name as keyof typeof matchers];
      for (const received of [undefined, 42, { trace: [] }, result.trace]) {
        for (const not of [false, true]) {
          const call = () => assertion(received, name, not)(...args);
          if (name === 'toBeDeterministic') await expect(call()).rejects.toThrow(TypeError);
          else expect(call).toThrow(TypeError);
        }
      }
    },
  );

  it.each(Object.keys(validArgs))('%s throws a ConfigError on an extra argument', async (name) => {
    const args = [...validArgs[name as keyof typeof matchers]];
    while (args.length < 2) args.push(undefined);
    const call = () => assertion(result, name)(...args, 'extra', 'more');
    if (name === 'toBeDeterministic') await expect(call()).rejects.toThrow(ConfigError);
    else expect(call).toThrow(ConfigError);
  });

  it('says what was received, with a hint for the common mistakes', () => {
    expect(() => expect(result.trace).toHaveTrippedBreaker('llm')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: toHaveTrippedBreaker: expected a simulation result (what \`await simulate(…)\` resolves to), received a Trace (assert on the result itself: expect(result), not expect(result.trace))]`,
    );
    expect(() => expect(Promise.resolve(result)).not.toHaveSucceeded()).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: toHaveSucceeded: expected a simulation result (what \`await simulate(…)\` resolves to), received a Promise (await simulate(…) before asserting on it)]`,
    );
    expect(() => expect({ seed: 1 }).toHaveSucceeded()).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: toHaveSucceeded: expected a simulation result (what \`await simulate(…)\` resolves to), received an object with keys { seed }]`,
    );
  });

  it('rejects wrong arguments with the matcher, the parameter, the value and what is allowed', () => {
    const cases: [string, unknown[]][] = [
      ['toHaveTrippedBreaker', ['llm', { time: 2 }]],
      ['toHaveTrippedBreaker', ['llm', { times: -1 }]],
      ['toHaveTrippedBreaker', [42]],
      ['toHaveBreakerState', ['llm', 'opened']],
      ['toHaveBreakerState', ['llm']],
      ['toHaveBreakerTransitions', ['llm', 'closed']],
      ['toHaveBreakerTransitions', ['llm', ['closed', 'shut']]],
      ['toHaveRejectedCalls', [undefined]],
      ['toHaveRetried', [1.5]],
      ['toHaveRetried', [{ min: 3, max: 1 }]],
      ['toHaveRetried', [{}]],
      ['toHaveRetried', [1, { policy: 'llm' }]],
      ['toHaveCalledService', ['']],
      ['toHaveInjectedFault', ['outage', '2']],
      ['toHaveCompletedWithin', ['soon']],
      ['toHaveCompletedWithin', []],
      ['toHaveFailedWith', [42]],
      ['toHaveFallenBackTo', []],
    ];
    const messages = cases.map(([name, args]) => {
      try {
        assertion(result, name)(...args);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error(`${name}(${args.join(', ')}) did not throw`);
    });
    expect(messages).toMatchInlineSnapshot(`
      [
        "toHaveTrippedBreaker({ time }): got 2; expected one of the known options: times",
        "toHaveTrippedBreaker({ times }): got -1; expected an integer >= 0 or an asymmetric matcher such as expect.any(Number) (or nothing: at least once)",
        "toHaveTrippedBreaker(name): got 42; expected a non-empty string or an asymmetric matcher such as expect.stringMatching(/llm/) (or nothing: any)",
        "toHaveBreakerState(state): got "opened"; expected one of 'closed', 'open', 'half-open', 'isolated' or an asymmetric matcher",
        "toHaveBreakerState(state): got undefined; expected one of 'closed', 'open', 'half-open', 'isolated' or an asymmetric matcher",
        "toHaveBreakerTransitions(states): got "closed"; expected an array of states such as ['closed', 'open']",
        "toHaveBreakerTransitions(states[1]): got "shut"; expected one of 'closed', 'open', 'half-open', 'isolated' or an asymmetric matcher",
        "toHaveRejectedCalls(name): got undefined; expected a non-empty string or an asymmetric matcher such as expect.stringMatching(/llm/)",
        "toHaveRetried(times): got 1.5; expected an integer >= 0 or an asymmetric matcher such as expect.any(Number) (or nothing: at least once)",
        "toHaveRetried({ min, max }): got {"min":3,"max":1}; expected min <= max",
        "toHaveRetried({ min, max }): got {}; expected at least one of min and max",
        "toHaveRetried({ policy }): got "llm"; expected one of the known options: name",
        "toHaveCalledService(name): got ""; expected a non-empty string or an asymmetric matcher such as expect.stringMatching(/llm/)",
        "toHaveInjectedFault(times): got "2"; expected an integer >= 0 or an asymmetric matcher such as expect.any(Number) (or nothing: at least once)",
        "toHaveCompletedWithin(duration): got "soon"; expected a finite number of milliseconds >= 0 or a string like "250ms", "30s", "2m", "1h30m" (units ms, s, m, h, d)",
        "toHaveCompletedWithin(duration): got undefined; expected a finite number of milliseconds >= 0 or a string like "250ms", "30s", "2m", "1h30m" (units ms, s, m, h, d)",
        "toHaveFailedWith(expected): got 42; expected an error class, a message substring, a RegExp, an error or an asymmetric matcher",
        "toHaveFallenBackTo(name): got undefined; expected a non-empty string or an asymmetric matcher such as expect.stringMatching(/llm/)",
      ]
    `);
  });

  it('every failure message ends with the seed and the rerun command', async () => {
    const failing: [string, unknown[]][] = [
      ['toHaveTrippedBreaker', ['db']],
      ['toHaveBreakerState', ['llm', 'open']],
      ['toHaveBreakerTransitions', ['llm', ['closed']]],
      ['toHaveRejectedCalls', ['llm', 0]],
      ['toHaveRetried', [0]],
      ['toHaveHonoredRetryAfter', []],
      ['toHaveCalledService', ['llm', 0]],
      ['toHaveInjectedFault', ['outage', 0]],
      ['toHaveCompletedWithin', ['1s']],
      ['toHaveFailedWith', [Error]],
      ['toHaveFallenBackTo', ['cache']],
      ['toHaveNoRetryStorm', [{ maxAmplification: 1 }]],
    ];
    expect(failing.length).toBe(Object.keys(matchers).length - 3); // toHaveSucceeded and toSatisfyInvariants pass here; toBeDeterministic below
    const lastLines = failing.map(([name, args]) => {
      try {
        assertion(result, name)(...args);
      } catch (error) {
        return (error as Error).message.split('\n').at(-1);
      }
      throw new Error(`${name} passed`);
    });
    expect(new Set(lastLines)).toEqual(
      new Set(['seed 3 — rerun: FAULTLINE_SEED=3 npx vitest run test/matchers/conventions.test.ts']),
    );
    await expect(expect(result).not.toBeDeterministic()).rejects.toThrow(/\nseed 3 — rerun: .*$/);
    expect(() => expect(result).not.toHaveSucceeded()).toThrow(/\nseed 3 — rerun: .*$/);
    expect(() => expect(result).not.toSatisfyInvariants()).toThrow(/\nseed 3 — rerun: .*$/);
  });

  it('works through expect.extend(matchers) on its own', () => {
    expect.extend(matchers);
    expect(result).toHaveTrippedBreaker('llm', { times: 2 });
  });
});

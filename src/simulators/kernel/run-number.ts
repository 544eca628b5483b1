import type { CallingTest } from './vitest-test.js';

/*
 * Which seeded call of its test a run is, the number `FAULTLINE_RUN` selects:
 * 1 for the first `simulate` (or `checkResilience`) call of the test, 2 for the
 * second, … in call order, counted when the call is made (a call that then
 * fails counts too). `beforeEach`/`afterEach` hooks run inside their test and
 * count in it. The count restarts with each attempt of the test (a vitest retry
 * or repeat runs the body again from its first call, and so does its replay);
 * each row of `it.each` is a test of its own. Calls made under vitest outside a
 * single test (`beforeAll`, `afterAll`, a describe body, concurrent tests not
 * told apart) are not numbered: `FAULTLINE_RUN` never selects them. Outside
 * vitest the count is per process. Kept on `globalThis` under a registered
 * symbol, so two installed copies of faultline number one sequence.
 */

interface Counter {
  attempt: readonly unknown[];
  count: number;
}

interface RunNumbers {
  process: number;
  readonly tests: WeakMap<object, Counter>;
}

const STATE = Symbol.for('faultline.runNumbers');

function state(): RunNumbers {
  const g = globalThis as Record<symbol, RunNumbers | undefined>;
  g[STATE] ??= { process: 0, tests: new WeakMap() };
  return g[STATE];
}

/** Numbers one more seeded call made by `test` (outside vitest: by the process); undefined when not numbered. */
export function nextRunNumber(test: CallingTest | undefined): number | undefined {
  const s = state();
  if (!test) return ++s.process;
  const scope = test.runScope;
  if (!scope) return undefined;
  const counter = s.tests.get(scope.key);
  if (counter && sameAttempt(counter.attempt, scope.attempt)) return ++counter.count;
  s.tests.set(scope.key, { attempt: scope.attempt, count: 1 });
  return 1;
}

function sameAttempt(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

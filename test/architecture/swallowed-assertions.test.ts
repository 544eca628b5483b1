import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * No assertion a run swallows. `simulate` does not reject when its body throws:
 * the error lands on `result.error`. An `expect` inside the body therefore fails
 * the test only if the test then reads how the run ended (`error`, `outcome`,
 * `value`, `unwrap()`, or `toHaveSucceeded`-style matchers). Likewise a failure
 * inside a workload request, a service's `handle` or an `allowFailure` task is
 * only counted, never thrown. This guard parses every test file and fails on
 * either. (`simTest` and `checkResilience` fail on a throwing body: not flagged.)
 */

const ROOT = resolve(__dirname, '../..');
const RUNS = new Set(['simulate', 'simulateHttp', 'simulateWithSeed']);
/** Reading one of these on a result tells a failing body apart from a passing one. */
const OUTCOME_ALL = /^(error|outcome|value|unwrap)$/;
/** With `until`, a body can also be stopped (`error` stays undefined): `error` alone is not enough. */
const OUTCOME_UNTIL = /^(outcome|value|unwrap)$/;
/** What may follow `expect(result)` to read the outcome. */
const OUTCOME_MATCHERS = /^(\.not)?\.(toHaveSucceeded|toHaveFailedWith|toHaveCompletedWithin)\(|^\.rejects\./;

/** `file:test name` → why an unchecked run there is fine. None at the moment. */
const EXEMPTIONS: Readonly<Record<string, string>> = {};

function testFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return walk(path);
      return e.name.endsWith('.ts') ? [path] : [];
    });
  return [...walk(join(ROOT, 'test')), ...walk(join(ROOT, 'examples'))];
}

type Fn = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;
const isFn = (n: ts.Node): n is Fn =>
  ts.isArrowFunction(n) ||
  ts.isFunctionExpression(n) ||
  ts.isFunctionDeclaration(n) ||
  ts.isMethodDeclaration(n);
const isInline = (n: ts.Node): n is ts.ArrowFunction | ts.FunctionExpression =>
  ts.isArrowFunction(n) || ts.isFunctionExpression(n);

function nodes(root: ts.Node): ts.Node[] {
  const all: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    all.push(n);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return all;
}

interface Scan {
  /** `file:line [test] what` for each assertion a run or a counter swallows. */
  readonly findings: string[];
  /** Runs whose body asserts (checked or not): shows the scan finds them. */
  readonly assertingRuns: number;
}

/** Scans one file's source (`name` is only used in the findings). */
function scan(name: string, code: string): Scan {
  const sf = ts.createSourceFile(name, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const all = nodes(sf);
  const text = (n: ts.Node) => n.getText(sf).replace(/\s+/g, '');
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const nameOf = (fn: Fn): string | undefined => {
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText(sf);
    const p = fn.parent;
    return p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) ? p.name.text : undefined;
  };
  const fns = new Map<string, Fn>();
  for (const n of all) if (isFn(n) && nameOf(n)) fns.set(nameOf(n)!, n);
  const calls = (root: ts.Node) => nodes(root).filter(ts.isCallExpression);
  /** The matcher chain after `expect(…)`: `.not.toHaveSucceeded()`. */
  const after = (expectCall: ts.CallExpression): string => {
    let n: ts.Node = expectCall;
    while (
      (ts.isPropertyAccessExpression(n.parent) || ts.isCallExpression(n.parent)) &&
      n.parent.expression === n
    )
      n = n.parent;
    return text(n).slice(text(expectCall).length);
  };

  // Assertions: expect/assert, and local helpers that contain one.
  const asserting = new Set<string>();
  const isAssertion = (c: ts.CallExpression) => {
    const callee = text(c.expression);
    return /^(expect|expect\.soft|assert|assert\.\w+)$/.test(callee) || asserting.has(callee);
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const [fnName, fn] of fns)
      if (!asserting.has(fnName) && calls(fn).some(isAssertion)) {
        asserting.add(fnName);
        grew = true;
      }
  }
  const asserts = (fn: ts.Node) => calls(fn).some(isAssertion);

  // Runs: simulate and the file's own wrappers of it (a function passing its parameter on as the body).
  const wrappers = new Map<string, boolean>(); // name → the wrapper itself checks the outcome
  for (let grew = true; grew; ) {
    grew = false;
    for (const [fnName, fn] of fns) {
      if (wrappers.has(fnName)) continue;
      const params = fn.parameters.map((p) => p.name.getText(sf));
      const wraps = calls(fn).some(
        (c) =>
          (RUNS.has(text(c.expression)) || wrappers.has(text(c.expression))) &&
          c.arguments.some(
            (a) =>
              (ts.isIdentifier(a) && params.includes(a.text)) ||
              (isInline(a) && calls(a).some((inner) => params.includes(text(inner.expression)))),
          ),
      );
      if (wraps) {
        const checks = nodes(fn).some(
          (n) => ts.isPropertyAccessExpression(n) && OUTCOME_ALL.test(n.name.text) && n.name.text !== 'value',
        );
        wrappers.set(fnName, checks);
        grew = true;
      }
    }
  }

  const testOf = (n: ts.Node): string => {
    for (let a = n.parent; a; a = a.parent)
      if (isFn(a) && ts.isCallExpression(a.parent) && /^(it|test)\b/.test(text(a.parent.expression))) {
        const first = a.parent.arguments[0];
        return first && ts.isStringLiteralLike(first) ? first.text : '?';
      }
    return '';
  };

  /** Whether the value of `call` (a run's result, maybe awaited) has its outcome read. */
  const checked = (call: ts.Expression, depth = 0, evidence = OUTCOME_ALL): boolean => {
    let n: ts.Node = call;
    while (
      ts.isAwaitExpression(n.parent) ||
      ts.isParenthesizedExpression(n.parent) ||
      ts.isAsExpression(n.parent) ||
      ts.isNonNullExpression(n.parent)
    )
      n = n.parent;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return evidence.test(p.name.text);
    if (ts.isCallExpression(p) && text(p.expression) === 'expect') return OUTCOME_MATCHERS.test(after(p));
    if (ts.isVariableDeclaration(p)) {
      if (ts.isObjectBindingPattern(p.name))
        return p.name.elements.some((e) => evidence.test((e.propertyName ?? e.name).getText(sf)));
      if (!ts.isIdentifier(p.name)) return false;
      const v = p.name.text;
      let scope: ts.Node = p;
      while (!isFn(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
      return nodes(scope).some(
        (m) =>
          (ts.isPropertyAccessExpression(m) &&
            ts.isIdentifier(m.expression) &&
            m.expression.text === v &&
            evidence.test(m.name.text)) ||
          (ts.isCallExpression(m) &&
            text(m.expression) === 'expect' &&
            m.arguments[0] !== undefined &&
            text(m.arguments[0]) === v &&
            OUTCOME_MATCHERS.test(after(m))),
      );
    }
    // Returned from a named function: every call of that function must be checked.
    const returned = ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === n);
    let fn: ts.Node | undefined = p;
    while (fn && !isFn(fn)) fn = fn.parent;
    const fnName = returned && fn ? nameOf(fn as Fn) : undefined;
    if (fnName && depth < 3) {
      const sites = calls(sf).filter((c) => text(c.expression) === fnName);
      return sites.length > 0 && sites.every((c) => checked(c, depth + 1, evidence));
    }
    return false;
  };

  const findings: string[] = [];
  let assertingRuns = 0;
  const report = (n: ts.Node, what: string) => {
    const test = testOf(n);
    if (!(`${name}:${test}` in EXEMPTIONS)) findings.push(`${name}:${line(n)} [${test}] ${what}`);
  };
  for (const c of calls(sf)) {
    const callee = text(c.expression);
    const bodies = c.arguments.filter(isInline);
    if (RUNS.has(callee) || wrappers.has(callee)) {
      if (!bodies.some(asserts)) continue;
      assertingRuns++;
      const until = c.arguments[0] !== undefined && /\buntil:/.test(text(c.arguments[0]));
      if (wrappers.get(callee) !== true && !checked(c, 0, until ? OUTCOME_UNTIL : OUTCOME_ALL))
        report(c, `${callee}(…) body asserts, but the test never reads the run's outcome (result.error)`);
    } else if (/(^|\.)workload\.\w+$/.test(callee) && bodies.some(asserts)) {
      report(c, `${callee}(…) request asserts: a failed request is only counted`);
    } else if (/(^|\.)spawn$/.test(callee) && /allowFailure:true/.test(text(c)) && bodies.some(asserts)) {
      report(c, `${callee}(…, { allowFailure: true }) task asserts: its failure is only recorded`);
    }
  }
  for (const n of all)
    if (
      ts.isPropertyAssignment(n) &&
      n.name.getText(sf) === 'handle' &&
      isInline(n.initializer) &&
      asserts(n.initializer)
    )
      report(n, "a service `handle` asserts: its failure becomes the call's error");
  return { findings, assertingRuns };
}

describe('assertions a run would swallow', () => {
  it('the scan flags an unchecked run and accepts every way of reading its outcome', () => {
    const flagged = (code: string) => scan('x.ts', code).findings;
    const body = 'async (sim) => { expect(sim.now()).toBe(1); }';
    expect(flagged(`it('t', async () => { await simulate({}, ${body}); });`)).toEqual([
      "x.ts:1 [t] simulate(…) body asserts, but the test never reads the run's outcome (result.error)",
    ]);
    expect(
      flagged(
        `it('t', async () => { const r = await simulate({}, ${body}); expect(r.trace).toBeDefined(); });`,
      ),
    ).toHaveLength(1);
    expect(
      flagged(
        `const run = (b) => simulate({ seed: 1 }, b); it('t', async () => { const r = await run(${body}); r.trace; });`,
      ),
    ).toHaveLength(1);
    expect(
      flagged(
        `function check() { expect(1).toBe(1); } it('t', async () => { await simulate({}, () => check()); });`,
      ),
    ).toHaveLength(1);
    expect(
      flagged(`it('t', async () => { await sim.workload.poisson({}, () => { expect(1).toBe(2); }); });`),
    ).toHaveLength(1);
    expect(
      flagged(`it('t', () => { sim.spawn('x', () => { expect(1).toBe(2); }, { allowFailure: true }); });`),
    ).toHaveLength(1);
    expect(flagged(`sim.service('s', { handle: (r) => { expect(r).toBe(2); } });`)).toHaveLength(1);
    // `until` may stop the body with `error` undefined: the outcome must be read
    expect(
      flagged(`const r = await simulate({ until: '1m' }, ${body}); expect(r.error).toBeUndefined();`),
    ).toHaveLength(1);

    for (const ok of [
      `const r = await simulate({}, ${body}); expect(r.error).toBeUndefined();`,
      `const r = await simulate({}, ${body}); expect(r.outcome).toBe('ok');`,
      `const r = await simulate({ until: '1m' }, ${body}); expect(r.outcome).toBe('ok');`,
      `const r = await simulate({}, ${body}); expect(r).toHaveSucceeded();`,
      `const { value } = await simulate({}, ${body});`,
      `expect((await simulate({}, ${body})).unwrap()).toBe(1);`,
      `expect(await simulate({}, ${body})).toHaveFailedWith(Error);`,
      `await expect(simulate({}, ${body})).rejects.toThrow();`,
      `const run = async (b) => { const r = await simulate({}, b); if (r.error) throw r.error; return r; }; await run(${body});`,
      `const run = (seed) => simulate({ seed }, ${body}); const a = await run(1); expect(a.value).toBe(1);`,
      `await simulate({}, async (sim) => { sim.now(); });`,
    ])
      expect(flagged(`it('t', async () => { ${ok} });`), ok).toEqual([]);
  });

  it('no test file has one (each run whose body asserts has its outcome read)', () => {
    let runs = 0;
    const findings = testFiles().flatMap((file) => {
      const code = readFileSync(file, 'utf8');
      // parsing is the cost: skip files that cannot hold a finding
      if (!/\b(simulate\w*|workload|allowFailure|handle)\b/.test(code) || !/\b(expect|assert)\b/.test(code))
        return [];
      const result = scan(relative(ROOT, file), code);
      runs += result.assertingRuns;
      return result.findings;
    });
    expect(runs).toBeGreaterThan(10);
    expect(findings).toEqual([]);
  });
});

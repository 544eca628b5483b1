import { readFileSync } from 'node:fs';

/*
 * Which vitest test called `simulate`, read from vitest's worker state without
 * importing vitest (faultline runs outside vitest too). vitest keeps one
 * "current" task per worker, which under `test.concurrent` is the test that
 * started last, not the caller. So: every test of the file still running is a
 * candidate; one candidate is the caller; among several, the caller is the
 * test whose declaration is the nearest one above the line of the test file
 * that called `simulate` (from the call's stack trace, which vitest maps back to
 * the source). The run is bound to that test: it ends when the test ends.
 */

/** The subset of vitest's test task that faultline reads. */
interface VitestTask {
  readonly type: string;
  readonly name: string;
  readonly timeout?: number;
  readonly tasks?: readonly VitestTask[];
  readonly result?: { readonly state?: string; readonly retryCount?: number; readonly repeatCount?: number };
  readonly file?: VitestTask & { readonly filepath?: string };
  readonly context?: {
    readonly signal?: AbortSignal;
    onTestFinished?(fn: () => void): void;
  };
}

interface VitestWorker {
  readonly filepath?: string;
  readonly current?: VitestTask;
  readonly config?: { readonly testTimeout?: number };
}

/** The test that called `simulate`. */
export interface CallingTest {
  readonly file: string;
  /** The test's name (several names when the caller could not be told apart). */
  readonly names: readonly string[];
  /** The test's timeout in ms (0: none). */
  readonly timeoutMs: number;
  /** Calls `onEnd` once when the test ends or times out; returns the unsubscribe. */
  bind(onEnd: (reason: string) => void): () => void;
  /**
   * What its runs are numbered in (`FAULTLINE_RUN`): the test's current attempt.
   * Undefined when no single test called (a hook, a describe body, concurrent tests not told apart).
   */
  readonly runScope: RunScope | undefined;
}

/** A vitest task, and which attempt of it is running. */
export interface RunScope {
  readonly key: object;
  /** Values that change when the task runs again (retry, repeat, watch-mode rerun). */
  readonly attempt: readonly unknown[];
}

function worker(): VitestWorker | undefined {
  const w = (globalThis as { __vitest_worker__?: VitestWorker }).__vitest_worker__;
  return w && typeof w === 'object' ? w : undefined;
}

/** `site` holds the stack captured synchronously when `simulate` was called (read only if needed). */
export function callingTest(site: { readonly stack?: string }): CallingTest | undefined {
  const w = worker();
  if (!w) return undefined;
  try {
    const current = w.current;
    const file: (VitestTask & { readonly filepath?: string }) | undefined =
      current?.file ?? (current?.type === 'suite' ? current : undefined);
    const filepath = file?.filepath ?? w.filepath;
    if (!filepath) return undefined;
    const running: VitestTask[] = [];
    if (file) collectRunning(file, running);
    if (running.length === 0 && current?.type === 'test') running.push(current);
    const test = running.length > 1 ? pickByStack(running, filepath, site.stack) : running[0];
    const names = test ? [test.name] : running.map((t) => t.name);
    const timeoutMs = test?.timeout ?? w.config?.testTimeout ?? 0;
    return {
      file: filepath,
      names,
      timeoutMs,
      bind: (onEnd) => (test ? bindTo(test, onEnd) : () => {}),
      runScope: test ? runScope(test) : undefined,
    };
  } catch {
    return undefined;
  }
}

/** vitest replaces `result` each time it starts a task and counts retries and repeats on it. */
function runScope(task: VitestTask): RunScope {
  const result = task.result;
  return { key: task, attempt: [result, result?.retryCount ?? 0, result?.repeatCount ?? 0] };
}

function collectRunning(suite: VitestTask, out: VitestTask[]): void {
  for (const task of suite.tasks ?? []) {
    if (task.type === 'test' && task.result?.state === 'run') out.push(task);
    else if (task.tasks) collectRunning(task, out);
  }
}

/** Runs still bound to each test; one `onTestFinished` hook per test, however many runs it makes. */
const boundRuns = new WeakMap<VitestTask, Set<(reason: string) => void>>();

function bindTo(test: VitestTask, onEnd: (reason: string) => void): () => void {
  let active = true;
  const end = (reason: string) => {
    if (!active) return;
    unbind();
    onEnd(reason);
  };
  const signal = test.context?.signal;
  const onAbort = () => end(`its test "${test.name}" was aborted (${describeReason(signal?.reason)})`);
  let runs = boundRuns.get(test);
  if (!runs) {
    const set = new Set<(reason: string) => void>();
    boundRuns.set(test, set);
    runs = set;
    test.context?.onTestFinished?.(() => {
      for (const run of [...set]) run(`its test "${test.name}" finished before the run did`);
    });
  }
  const unbind = () => {
    active = false;
    runs.delete(end);
    signal?.removeEventListener('abort', onAbort);
  };
  runs.add(end);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return unbind;
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message.split('\n')[0]!;
  return String(reason);
}

/** Among running tests, the one declared nearest above the calling line of the test file. */
function pickByStack(
  running: VitestTask[],
  filepath: string,
  stack: string | undefined,
): VitestTask | undefined {
  const line = callerLine(stack, filepath);
  if (line === undefined) return undefined;
  let source: string[];
  try {
    source = readFileSync(filepath, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  let best: VitestTask | undefined;
  let bestLine = -1;
  let tie = false;
  for (const test of running) {
    const declared = declarationLine(source, test.name, line);
    if (declared === undefined) continue;
    if (declared > bestLine) {
      best = test;
      bestLine = declared;
      tie = false;
    } else if (declared === bestLine) tie = true;
  }
  return tie ? undefined : best;
}

function callerLine(stack: string | undefined, filepath: string): number | undefined {
  for (const frame of stack?.split('\n') ?? []) {
    const at = frame.indexOf(filepath);
    if (at < 0) continue;
    const match = /:(\d+):\d+\)?\s*$/.exec(frame.slice(at + filepath.length));
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** 1-based line of the last declaration of `name` (as a string literal) at or above `limit`. */
function declarationLine(source: string[], name: string, limit: number): number | undefined {
  const quoted = [`'${name}'`, `"${name}"`, `\`${name}\``];
  for (let i = Math.min(limit, source.length) - 1; i >= 0; i--) {
    const text = source[i]!;
    if (quoted.some((q) => text.includes(q))) return i + 1;
  }
  return undefined;
}

/*
 * Real work Node runs on its thread pool without listing it anywhere: crypto
 * jobs (`crypto.pbkdf2`, `scrypt`, `randomBytes`, `generateKeyPair`, `hkdf`,
 * every `crypto.subtle` call) and zlib/brotli writes. They keep the process
 * alive but appear neither in `process.getActiveResourcesInfo()` nor in the
 * active requests, so quiescence could not see them: virtual time ran on while
 * they were in flight, and a run awaiting one that took longer than the
 * deadlock grace (a loaded machine) was reported as deadlocked.
 *
 * The async hook hands over each such resource at creation; this module
 * wraps, on that one object, the call that starts the work and the callback
 * that ends it, and reports whether work is pending. A crypto job starts with
 * `run()` (a synchronous job returns its result from `run()` and is never
 * pending) and ends when Node calls its `ondone`; a zlib handle's work starts
 * with `write()` and ends when Node calls the callback given to `init()`, or
 * when the handle is closed (nothing then waits for it).
 */

export interface ThreadPoolWork {
  /** True while work was started and its completion callback has not run. */
  readonly pending: boolean;
  /** True once no more work can start (the job ended, the handle closed): stop tracking it. */
  readonly finished: boolean;
}

/** Tracks `resource` if it is thread-pool work of a known kind (by async-hook type); else undefined. */
export function trackThreadPoolWork(type: string, resource: any): ThreadPoolWork | undefined {
  if (typeof resource !== 'object' || resource === null) return undefined;
  if (type === 'ZLIB') return trackZlib(resource);
  if (type.endsWith('REQUEST') && typeof resource.run === 'function') return trackCryptoJob(resource);
  return undefined;
}

function trackCryptoJob(job: any): ThreadPoolWork {
  const work = { pending: false, finished: false };
  const run = job.run;
  let ondone: unknown;
  Object.defineProperty(job, 'run', {
    configurable: true,
    writable: true,
    value(this: unknown, ...args: unknown[]) {
      const result = run.apply(this, args);
      if (result === undefined) work.pending = true;
      else work.finished = true;
      return result;
    },
  });
  Object.defineProperty(job, 'ondone', {
    configurable: true,
    enumerable: true,
    get: () =>
      typeof ondone === 'function'
        ? function (this: unknown, ...args: unknown[]) {
            work.pending = false;
            work.finished = true;
            return (ondone as (...a: unknown[]) => unknown).apply(this, args);
          }
        : ondone,
    set: (fn: unknown) => {
      ondone = fn;
    },
  });
  return work;
}

function trackZlib(handle: any): ThreadPoolWork | undefined {
  const { init, write, close } = handle;
  if (typeof init !== 'function' || typeof write !== 'function' || typeof close !== 'function')
    return undefined;
  const work = { pending: false, finished: false };
  handle.init = function (this: unknown, ...args: unknown[]) {
    const i = args.findIndex((a) => typeof a === 'function');
    if (i >= 0) {
      const callback = args[i] as (...a: unknown[]) => unknown;
      args[i] = function (this: unknown, ...a: unknown[]) {
        work.pending = false;
        return callback.apply(this, a);
      };
    }
    return init.apply(this, args);
  };
  handle.write = function (this: unknown, ...args: unknown[]) {
    work.pending = true;
    return write.apply(this, args);
  };
  handle.close = function (this: unknown, ...args: unknown[]) {
    work.pending = false;
    work.finished = true;
    return close.apply(this, args);
  };
  return work;
}

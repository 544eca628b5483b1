import { readFileSync } from 'node:fs';

/*
 * CPU time of the calling thread (not the whole process, which is what
 * `process.cpuUsage()` gives on Node 20, workers included). On Linux it also
 * gives the time the thread was runnable but waiting for a CPU: the measure
 * of how much other threads and processes took the cores away from it.
 */

export interface ThreadUsage {
  /** CPU time this thread has used since it started, in ms. */
  readonly cpuMs: number;
  /** Time this thread spent ready to run but waiting for a CPU, in ms (Linux only). */
  readonly waitMs: number | undefined;
}

let procWorks = process.platform === 'linux';

/** The calling thread's CPU usage so far, or `undefined` where the platform cannot tell. */
export function threadUsage(): ThreadUsage | undefined {
  if (procWorks) {
    try {
      // "<ns on CPU> <ns waiting on a run queue> <timeslices>"
      const [cpuNs, waitNs] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
      if (Number.isFinite(cpuNs) && Number.isFinite(waitNs))
        return { cpuMs: cpuNs! / 1e6, waitMs: waitNs! / 1e6 };
    } catch {
      // no procfs (container without it, old kernel): fall through
    }
    procWorks = false;
  }
  // Node >= 23.9 has a per-thread cpuUsage.
  const perThread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (perThread === undefined) return undefined;
  const { user, system } = perThread.call(process);
  return { cpuMs: (user + system) / 1000, waitMs: undefined };
}

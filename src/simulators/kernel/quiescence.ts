import { type AsyncHook, createHook, type HookCallbacks } from 'node:async_hooks';
import { type CallSite, captureSite, userFrame } from './call-site.js';
import { type ThreadPoolWork, trackThreadPoolWork } from './thread-pool-work.js';

/*
 * "Quiet" means no real work started during the run is still in flight. An
 * async hook, enabled for the run only, sees every real resource created while
 * the run is active — timers and immediates (also through a `setTimeout`
 * captured before the run), sockets, servers, file and DNS requests — and the
 * kernel waits until each has ended. Work that existed before the run is not
 * the run's and is never waited for, whatever its type. Identity, not
 * per-type counts: an unrelated resource of the same type ending cannot hide
 * a new one.
 *
 * The hook has an `init` callback only: a `destroy` callback would make Node
 * track the garbage collection of every promise (measured: 2.5× slower
 * stepping). Whether a resource is still alive is read from the resource:
 * timers and handles through `hasRef()` (a closed handle or a fired timer
 * reports false), requests by their presence in Node's list of active requests,
 * thread-pool work Node lists nowhere (crypto jobs, zlib writes) by wrapping
 * its start and completion on the resource (thread-pool-work.ts).
 */

interface Tracked {
  readonly type: string;
  /** Waits for outside events (a listening server, a watcher) rather than completing on its own. */
  readonly passive: boolean;
  readonly resource: any;
  readonly site: CallSite;
  /** The tracked resource whose callback created this one (a server created after a DNS lookup). */
  readonly parent: Tracked | undefined;
  /** Set for thread-pool work (crypto jobs, zlib), whose progress is read from here. */
  work?: ThreadPoolWork;
}

/** Types that never stand for real work the kernel must wait for. */
const IGNORED = new Set(['PROMISE', 'TickObject', 'Microtask', 'faultline.timer']);
/**
 * Handles that wait for something outside the process instead of finishing on
 * their own. Virtual time does not wait for them (a listening server would
 * otherwise hold it forever); they are reported at the end if still open.
 */
const PASSIVE = new Set([
  'TCPSERVERWRAP',
  'PIPESERVERWRAP',
  'SIGNALWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
  'TTYWRAP',
  'UDPWRAP',
  'MESSAGEPORT',
]);

export class Quiescence {
  private readonly handles = new Set<Tracked>();
  private readonly requests = new Set<Tracked>();
  private readonly jobs = new Set<Tracked>();
  private readonly ownCallbacks = new Set<unknown>();
  private readonly byId = new Map<number, Tracked>();
  private readonly hook: AsyncHook;

  constructor() {
    this.hook = createHook(<HookCallbacks>{
      // Node ≥ 26 (earlier releases ignore it): promises are never real work, and
      // tracking them makes V8 call a hook for every promise and every await.
      trackPromises: false,
      init: (id, type, trigger, resource: any) => {
        if (IGNORED.has(type)) return;
        if (type === 'Timeout' || type === 'Immediate') {
          if (this.ownCallbacks.has(resource._onTimeout ?? resource._onImmediate)) return;
        }
        const site = captureSite();
        const tracked: Tracked = {
          type,
          passive: PASSIVE.has(type),
          resource,
          site,
          parent: this.byId.get(trigger),
        };
        if (typeof resource?.hasRef === 'function') this.handles.add(tracked);
        else if ((tracked.work = trackThreadPoolWork(type, resource))) this.jobs.add(tracked);
        else if (isNativeRequest(type)) this.requests.add(tracked);
        else return;
        this.byId.set(id, tracked);
      },
    });
  }

  /** Starts watching: resources created from now on are the run's. */
  start(): void {
    this.hook.enable();
  }

  stop(): void {
    this.hook.disable();
  }

  /** Real timers and immediates the kernel itself schedules with this callback are not the run's work. */
  ignore(callback: unknown): void {
    this.ownCallbacks.add(callback);
  }

  /** True when no real work the run started is still in flight. */
  isQuiet(): boolean {
    if (this.handles.size === 0 && this.requests.size === 0 && this.jobs.size === 0) return true;
    return this.open(false).length === 0;
  }

  /** The run's real work still in flight (what virtual time waits for), described for diagnostics. */
  inFlight(): string[] {
    return this.open(true).map(describe);
  }

  /** The run's passive handles (listening servers, watchers) still open, described. */
  openPassive(): string[] {
    return [...this.handles].filter((t) => t.passive && isOpen(t.resource)).map(describe);
  }

  private open(all: boolean): Tracked[] {
    const out: Tracked[] = [];
    for (const t of this.handles) {
      const r = t.resource;
      if (r._destroyed === true) this.handles.delete(t);
      else if (!t.passive && isOpen(r)) {
        out.push(t);
        if (!all) return out;
      }
    }
    for (const t of this.jobs) {
      if (t.work!.finished) this.jobs.delete(t);
      else if (t.work!.pending) {
        out.push(t);
        if (!all) return out;
      }
    }
    if (this.requests.size > 0) {
      const active = new Set(
        (process as unknown as { _getActiveRequests(): unknown[] })._getActiveRequests(),
      );
      for (const t of this.requests) {
        if (!active.has(t.resource)) this.requests.delete(t);
        else {
          out.push(t);
          if (!all) return out;
        }
      }
    }
    return out;
  }
}

function isOpen(resource: any): boolean {
  try {
    return resource.hasRef() === true;
  } catch {
    return false;
  }
}

/** Native request wraps (file system, DNS, connect, write…): Node names them in capitals. */
function isNativeRequest(type: string): boolean {
  return type === type.toUpperCase() && /REQ|WRAP/.test(type);
}

function describe(t: Tracked): string {
  const r = t.resource;
  let what = t.type;
  if (t.type === 'Timeout') what = `${r._repeat ? 'setInterval' : 'setTimeout'} (${r._idleTimeout} ms)`;
  else if (t.type === 'Immediate') what = 'setImmediate';
  else if (t.type === 'ZLIB') what = 'zlib work';
  else if (t.work) what = `crypto work (${t.type})`;
  else if (t.type === 'TCPSERVERWRAP' || t.type === 'PIPESERVERWRAP')
    what = `a listening server (${t.type}${address(r)})`;
  else if (t.type === 'TCPWRAP') what = `a socket (${t.type}${address(r)})`;
  let site: string | undefined;
  for (let at: Tracked | undefined = t; at && !site; at = at.parent) site = userFrame(at.site);
  return site ? `${what} created at ${site}` : what;
}

function address(handle: any): string {
  try {
    const out: { address?: string; port?: number } = {};
    handle.getsockname?.(out);
    return out.port !== undefined ? ` on ${out.address}:${out.port}` : '';
  } catch {
    return '';
  }
}

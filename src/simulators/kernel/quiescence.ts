/*
 * "Quiet" means nothing real is in flight: after a full microtask drain, the
 * process holds no handles or requests beyond the ones it held when the run
 * started (and the kernel's own immediates). Work that goes through real
 * macrotasks (msw interception, streams, fs) shows up here, and virtual time
 * waits for it.
 */
export class Quiescence {
  private readonly baseline = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  /** The last resource list found quiet (with `lastOwn` kernel immediates): the same again is quiet. */
  private lastQuiet: string[] = [];
  private lastOwn = -1;

  constructor() {
    for (const type of process.getActiveResourcesInfo()) {
      this.baseline.set(type, (this.baseline.get(type) ?? 0) + 1);
    }
  }

  /** True when no real resource beyond the baseline exists, given `ownImmediates` kernel immediates pending. */
  isQuiet(ownImmediates: number): boolean {
    const info = process.getActiveResourcesInfo();
    if (info.length <= ownImmediates) return true;
    if (ownImmediates === this.lastOwn && sameList(info, this.lastQuiet)) return true;
    if (!this.quiet(info, ownImmediates)) return false;
    this.lastQuiet = info;
    this.lastOwn = ownImmediates;
    return true;
  }

  private quiet(info: string[], ownImmediates: number): boolean {
    const counts = this.counts;
    counts.clear();
    for (const type of info) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const [type, count] of counts) {
      const own = type === 'Immediate' ? ownImmediates : 0;
      if (count - own > (this.baseline.get(type) ?? 0)) return false;
    }
    return true;
  }

  /** Resource types currently above the baseline (for diagnostics). */
  inFlight(ownImmediates: number): string[] {
    const counts = new Map<string, number>();
    for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
    const out: string[] = [];
    for (const [type, count] of counts) {
      const extra = count - (type === 'Immediate' ? ownImmediates : 0) - (this.baseline.get(type) ?? 0);
      if (extra > 0) out.push(`${type}×${extra}`);
    }
    return out;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

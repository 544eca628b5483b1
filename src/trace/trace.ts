import { createHash } from 'node:crypto';
import { canonicalLine } from './canonical.js';
import type { TraceEvent, TraceSink } from './event.js';
import { formatTimeline, type TimelineOptions } from './timeline.js';

/**
 * The record of a run: every event in (virtual time, sequence) order, a canonical
 * hash that is identical for the same seed in any process, JSONL export/import
 * and a text timeline.
 *
 * @example
 * ```ts
 * const { trace } = await simulate({ seed: 1 }, body);
 * console.log(trace.hash, trace.length);
 * console.log(trace.format({ limit: 40 }));
 * ```
 */
export class Trace implements TraceSink {
  private readonly list: TraceEvent[] = [];
  private cachedHash: string | undefined;
  private readonly now: () => number;

  /** `now` gives the time stamped on emitted events (the run's virtual clock). */
  constructor(now: () => number = () => 0, events: readonly TraceEvent[] = []) {
    this.now = now;
    for (const e of events) this.list.push(e);
  }

  /** Records an event stamped with the current time. */
  emit(kind: string, actor?: string, data?: Record<string, unknown>): void {
    this.cachedHash = undefined;
    this.list.push({ seq: this.list.length, t: this.now(), kind, actor, data });
  }

  /** Number of events. */
  get length(): number {
    return this.list.length;
  }

  /** All events, oldest first (read-only view). */
  get events(): readonly TraceEvent[] {
    return this.list;
  }

  /** Events whose kind equals `kind` or starts with `kind.` (e.g. `'breaker'` matches `breaker.state`). */
  ofKind(kind: string): TraceEvent[] {
    const prefix = `${kind}.`;
    return this.list.filter((e) => e.kind === kind || e.kind.startsWith(prefix));
  }

  /** Events emitted by `actor`. */
  ofActor(actor: string): TraceEvent[] {
    return this.list.filter((e) => e.actor === actor);
  }

  /** SHA-256 (hex) of the canonical JSONL form. */
  get hash(): string {
    if (this.cachedHash === undefined) {
      const h = createHash('sha256');
      for (const e of this.list) h.update(`${canonicalLine(e)}\n`);
      this.cachedHash = h.digest('hex');
    }
    return this.cachedHash;
  }

  /** Canonical JSON Lines, one event per line. */
  toJSONL(): string {
    let out = '';
    for (const e of this.list) out += `${canonicalLine(e)}\n`;
    return out;
  }

  /** Parses `toJSONL()` output back into a trace with the same hash. */
  static fromJSONL(text: string): Trace {
    const events: TraceEvent[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        throw new SyntaxError(`trace JSONL line ${i + 1}: ${(error as Error).message}`);
      }
      const e = parsed as TraceEvent;
      if (
        typeof e !== 'object' ||
        e === null ||
        typeof e.seq !== 'number' ||
        typeof e.t !== 'number' ||
        typeof e.kind !== 'string'
      ) {
        throw new SyntaxError(`trace JSONL line ${i + 1}: expected an event { seq, t, kind, actor?, data? }`);
      }
      events.push(e);
    }
    return new Trace(() => 0, events);
  }

  /** A readable text timeline (see `TimelineOptions`). */
  format(options?: TimelineOptions): string {
    return formatTimeline(this.list, options);
  }

  toJSON(): TraceEvent[] {
    return this.list;
  }
}

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
  /*
   * Storage: events are recorded as columns (kind, actor, data, time) and turned
   * into `TraceEvent` objects only when someone asks for objects (`events`,
   * `ofKind`, `toJSON`, …). A long run with hundreds of thousands of events then
   * allocates no event object and no boxed time per event, which keeps the
   * garbage collector out of the hot path. `objects` holds events [0, objects.length)
   * as objects; the columns hold the events after them. Once the `objects` array
   * itself has been handed out (`events`, `toJSON`), it is a live view: new events
   * are appended to it directly, as objects.
   */
  private readonly objects: TraceEvent[] = [];
  private exposed = false;
  private kinds: string[] = [];
  private actors: (string | undefined)[] = [];
  private datas: (Readonly<Record<string, unknown>> | undefined)[] = [];
  private times: number[] = [];
  private cachedHash: string | undefined;
  private readonly now: () => number;

  /** `now` gives the time stamped on emitted events (the run's virtual clock). */
  constructor(now: () => number = () => 0, events: readonly TraceEvent[] = []) {
    this.now = now;
    for (const e of events) this.objects.push(e);
  }

  /** Records an event stamped with the current time. */
  emit(kind: string, actor?: string, data?: Record<string, unknown>): void {
    this.cachedHash = undefined;
    if (this.exposed) {
      const list = this.objects;
      list.push({ seq: list.length, t: this.now(), kind, actor, data });
      return;
    }
    this.kinds.push(kind);
    this.actors.push(actor);
    this.datas.push(data);
    this.times.push(this.now());
  }

  /** Number of events. */
  get length(): number {
    return this.objects.length + this.kinds.length;
  }

  /** All events, oldest first (read-only, live view: it grows as events are emitted). */
  get events(): readonly TraceEvent[] {
    this.exposed = true;
    return this.materialize();
  }

  /** Events whose kind equals `kind` or starts with `kind.` (e.g. `'breaker'` matches `breaker.state`). */
  ofKind(kind: string): TraceEvent[] {
    const prefix = `${kind}.`;
    return this.materialize().filter((e) => e.kind === kind || e.kind.startsWith(prefix));
  }

  /** Events emitted by `actor`. */
  ofActor(actor: string): TraceEvent[] {
    return this.materialize().filter((e) => e.actor === actor);
  }

  /** Turns the column tail into event objects; returns every event as an object. */
  private materialize(): TraceEvent[] {
    const list = this.objects;
    const n = this.kinds.length;
    if (n === 0) return list;
    const { kinds, actors, datas, times } = this;
    let seq = list.length;
    for (let i = 0; i < n; i++) {
      list.push({ seq: seq++, t: times[i]!, kind: kinds[i]!, actor: actors[i], data: datas[i] });
    }
    this.kinds = [];
    this.actors = [];
    this.datas = [];
    this.times = [];
    return list;
  }

  /** SHA-256 (hex) of the canonical JSONL form. */
  get hash(): string {
    if (this.cachedHash === undefined) {
      const h = createHash('sha256');
      for (const e of this.materialize()) h.update(`${canonicalLine(e)}\n`);
      this.cachedHash = h.digest('hex');
    }
    return this.cachedHash;
  }

  /** Canonical JSON Lines, one event per line. */
  toJSONL(): string {
    let out = '';
    for (const e of this.materialize()) out += `${canonicalLine(e)}\n`;
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
    return formatTimeline(this.materialize(), options);
  }

  toJSON(): TraceEvent[] {
    this.exposed = true;
    return this.materialize();
  }
}

import { createHash } from 'node:crypto';
import { canonicalLine } from './canonical.js';
import { currentRequest } from './correlation.js';
import type { EventsMatching, TraceEvent, TraceSink } from './event.js';
import type { TraceData, TraceEventMap, TraceKind } from './event-map.js';
import { formatTimeline, type TimelineOptions } from './timeline.js';

/** One chunk of the column storage (see `Trace`). */
interface Chunk {
  readonly kinds: readonly string[];
  readonly actors: readonly (string | undefined)[];
  readonly datas: readonly (Readonly<Record<string, unknown>> | undefined)[];
  readonly times: Float64Array;
  readonly reqs: readonly (string | undefined)[];
}

const FIRST_CHUNK = 256;
const MAX_CHUNK = 16_384;
const EMPTY_TIMES = new Float64Array(0);

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
   *
   * The columns are kept in chunks of fixed size (growing from 256 to 16,384
   * events per chunk), written by index: appending never copies a large array,
   * and times sit unboxed in a `Float64Array`.
   */
  private readonly objects: TraceEvent[] = [];
  private exposed = false;
  /** Full chunks of the column tail, oldest first (the current chunk is the fields below). */
  private full: Chunk[] = [];
  /** Events in the column tail (full chunks and the current one). */
  private tail = 0;
  /** The current chunk's columns and how many of its slots are used. */
  private kinds: string[] = [];
  private actors: (string | undefined)[] = [];
  private datas: (Readonly<Record<string, unknown>> | undefined)[] = [];
  private times: Float64Array = EMPTY_TIMES;
  private reqs: (string | undefined)[] = [];
  private used = 0;
  private cachedHash: string | undefined;
  private readonly now: () => number;

  /** `now` gives the time stamped on emitted events (the run's virtual clock). */
  constructor(now: () => number = () => 0, events: readonly TraceEvent[] = []) {
    this.now = now;
    for (const e of events) this.objects.push(e);
  }

  /** Records an event of a known kind (see `TraceEventMap`) stamped with the current time. */
  emit<K extends TraceKind>(kind: K, actor: string | undefined, data: TraceEventMap[K]): void {
    this.append(kind, actor, data as Readonly<Record<string, unknown>>);
  }

  /**
   * Records an event of any kind, a user's own included (`sim.emit`): a kind in
   * `TraceEventMap` still needs its data type.
   */
  record<K extends string>(kind: K, actor?: string, data?: TraceData<K>): void {
    this.append(kind, actor, data as Readonly<Record<string, unknown>> | undefined);
  }

  private append(
    kind: string,
    actor: string | undefined,
    data: Readonly<Record<string, unknown>> | undefined,
  ): void {
    this.cachedHash = undefined;
    const req = currentRequest();
    if (this.exposed) {
      const list = this.objects;
      const seq = list.length;
      const t = this.now();
      list.push(req === undefined ? { seq, t, kind, actor, data } : { seq, t, kind, actor, data, req });
      return;
    }
    let i = this.used;
    if (i === this.times.length) {
      this.nextChunk();
      i = 0;
    }
    this.kinds[i] = kind;
    this.actors[i] = actor;
    this.datas[i] = data;
    this.reqs[i] = req;
    this.times[i] = this.now();
    this.used = i + 1;
    this.tail++;
  }

  /** Retires the current (full) chunk and starts a new, larger one. */
  private nextChunk(): void {
    const size = this.times.length;
    if (size > 0)
      this.full.push({
        kinds: this.kinds,
        actors: this.actors,
        datas: this.datas,
        times: this.times,
        reqs: this.reqs,
      });
    const next = size === 0 ? FIRST_CHUNK : Math.min(size * 2, MAX_CHUNK);
    this.kinds = new Array<string>(next);
    this.actors = new Array<string | undefined>(next);
    this.datas = new Array<Readonly<Record<string, unknown>> | undefined>(next);
    this.times = new Float64Array(next);
    this.reqs = new Array<string | undefined>(next);
    this.used = 0;
  }

  /** Number of events. */
  get length(): number {
    return this.objects.length + this.tail;
  }

  /** All events, oldest first (read-only, live view: it grows as events are emitted). */
  get events(): readonly TraceEvent[] {
    this.exposed = true;
    return this.materialize();
  }

  /**
   * Events whose kind equals `kind` or starts with `kind.` (e.g. `'breaker'` matches
   * `breaker.state`), with typed data for known kinds.
   *
   * @example
   * ```ts
   * const opened = trace.ofKind('breaker.state').filter((e) => e.data.to === 'open');
   * ```
   */
  ofKind<P extends string>(kind: P): EventsMatching<P>[] {
    const prefix = `${kind}.`;
    return this.materialize().filter(
      (e) => e.kind === kind || e.kind.startsWith(prefix),
    ) as EventsMatching<P>[];
  }

  /** Events emitted by `actor`. */
  ofActor(actor: string): TraceEvent[] {
    return this.materialize().filter((e) => e.actor === actor);
  }

  /** Turns the column tail into event objects; returns every event as an object. */
  private materialize(): TraceEvent[] {
    const list = this.objects;
    if (this.tail === 0) return list;
    let seq = list.length;
    const current: Chunk = {
      kinds: this.kinds,
      actors: this.actors,
      datas: this.datas,
      times: this.times,
      reqs: this.reqs,
    };
    for (const chunk of [...this.full, current]) {
      const { kinds, actors, datas, times, reqs } = chunk;
      const n = chunk === current ? this.used : times.length;
      for (let i = 0; i < n; i++) {
        const req = reqs[i];
        // One object per event, keys in the same order either way (seq, t, kind, actor, data[, req]).
        list.push(
          req === undefined
            ? { seq: seq++, t: times[i]!, kind: kinds[i]!, actor: actors[i], data: datas[i] }
            : { seq: seq++, t: times[i]!, kind: kinds[i]!, actor: actors[i], data: datas[i], req },
        );
      }
    }
    this.full = [];
    this.tail = 0;
    this.kinds = [];
    this.actors = [];
    this.datas = [];
    this.reqs = [];
    this.times = EMPTY_TIMES;
    this.used = 0;
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

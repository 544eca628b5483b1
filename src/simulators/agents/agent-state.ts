/**
 * The state agents pass along an orchestration, after the seed's model: `data`
 * (values) and `metadata` (string tags used for routing). Immutable-by-habit:
 * `clone()` before changing a shared state, `merge()` to combine results.
 *
 * @example
 * ```ts
 * const s = new AgentState({ topic: 'tides' }, { route: 'research' });
 * const next = s.clone().set('summary', 'done');
 * ```
 */
export class AgentState {
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, string>;

  constructor(data: Record<string, unknown> = {}, metadata: Record<string, string> = {}) {
    this.data = { ...data };
    this.metadata = { ...metadata };
  }

  get<T = unknown>(key: string): T | undefined {
    return this.data[key] as T | undefined;
  }

  set(key: string, value: unknown): this {
    this.data[key] = value;
    return this;
  }

  setMeta(key: string, value: string): this {
    this.metadata[key] = value;
    return this;
  }

  /** A deep copy (structuredClone of data and metadata). */
  clone(): AgentState {
    return new AgentState(structuredClone(this.data), { ...this.metadata });
  }

  /** A new state with `other`'s data and metadata laid over this one's. */
  merge(other: AgentState): AgentState {
    return new AgentState({ ...this.data, ...other.data }, { ...this.metadata, ...other.metadata });
  }

  toJSON(): { data: Record<string, unknown>; metadata: Record<string, string> } {
    return { data: this.data, metadata: this.metadata };
  }
}

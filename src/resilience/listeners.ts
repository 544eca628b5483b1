/*
 * A minimal typed event registry used by the resilience primitives:
 * `on(event, listener)` returns an unsubscribe function. Emitting with no
 * listeners costs one property read.
 */

/** Removes the listener it was returned for. Calling it twice is harmless. */
export type Unsubscribe = () => void;

export class Listeners<Events extends Record<string, unknown>> {
  private readonly map: { [K in keyof Events]?: Array<(data: Events[K]) => void> } = {};
  /** Number of listeners registered, for fast-path checks. */
  count = 0;

  on<K extends keyof Events>(event: K, listener: (data: Events[K]) => void): Unsubscribe {
    const list = this.map[event] ?? [];
    this.map[event] = list;
    list.push(listener);
    this.count++;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
      this.count--;
    };
  }

  /**
   * Calls the listeners of `event` in registration order. A listener that throws
   * does not stop the others or the primitive; its error is passed to `onError`.
   */
  emit<K extends keyof Events>(event: K, data: Events[K], onError: (error: unknown) => void): void {
    const list = this.map[event];
    if (list === undefined || list.length === 0) return;
    for (const listener of list.slice()) {
      try {
        listener(data);
      } catch (error) {
        onError(error);
      }
    }
  }
}

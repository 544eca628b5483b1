/*
 * Live read-only properties (`service.calls`, `bridge.inFlight`) on objects made
 * per run: own, enumerable, configurable getters, as an object literal's
 * `get calls() { … }` makes them, but with one getter function per property
 * name for the whole process, which finds the object's own readers in a
 * private field.
 *
 * Why not the literal: V8 keeps an object whose accessor is a closure of its
 * own alive through every young-generation GC until the next full GC, and with
 * it everything the closure holds: the run. Each such object kept its run's
 * whole final state (trace, clock, services) alive until it was promoted to the
 * old generation, for the concurrent marker to trace (measured with
 * bench/explore-alloc.ts: with the agent context's, the service's and the
 * bridge's getters made this way, promotion fell from about 170 to 7 KiB per
 * run of the explore bench's scenario).
 */

type Readers = Readonly<Record<string, () => unknown>>;

/** Its constructor returns `target`, so a subclass's private field lands on `target`. */
class Returns {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: puts the private field on `target`
    return target;
  }
}

let readersOf!: (target: object) => Readers;

class WithReaders extends Returns {
  readonly #readers: Readers;

  constructor(target: object, readers: Readers) {
    super(target);
    this.#readers = readers;
  }

  static {
    readersOf = (target) => (target as WithReaders).#readers;
  }
}

const descriptors = new Map<string, PropertyDescriptor>();

function descriptorOf(key: string): PropertyDescriptor {
  let descriptor = descriptors.get(key);
  if (descriptor === undefined) {
    descriptor = {
      get(this: object) {
        return readersOf(this)[key]!();
      },
      enumerable: true,
      configurable: true,
    };
    descriptors.set(key, descriptor);
  }
  return descriptor;
}

/**
 * Adds to `target`, after its existing keys and in the order of `readers`, an own
 * getter per key of `readers` that returns `readers[key]()`. Once per object.
 */
export function addGetters<T extends object>(target: T, readers: Readers): T {
  new WithReaders(target, readers);
  for (const key of Object.keys(readers)) Object.defineProperty(target, key, descriptorOf(key));
  return target;
}

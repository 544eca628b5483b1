/*
 * Live read-only properties (`service.calls`, `bridge.inFlight`) on objects made
 * per run: own, enumerable, configurable getters, as an object literal's
 * `get calls() { … }` makes them, but with one getter function per kind of
 * object and property name for the whole process, which finds the object's
 * own readers in a private field. Called on any other value, a getter throws a
 * TypeError naming its property and the kind of object it belongs to.
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

/** The readers of an object `addGetters` was given; throws a TypeError for any other value. */
let readersOf!: (target: unknown) => Readers;

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

/** The shared descriptors, by owner (what the objects are: `'service'`) and key. */
const descriptors = new Map<string, Map<string, PropertyDescriptor>>();

function descriptorOf(owner: string, key: string): PropertyDescriptor {
  let byKey = descriptors.get(owner);
  if (byKey === undefined) {
    byKey = new Map();
    descriptors.set(owner, byKey);
  }
  let descriptor = byKey.get(key);
  if (descriptor === undefined) {
    descriptor = {
      get(this: unknown) {
        // try/catch rather than a `#readers in this` check first: as fast as a bare read (the check cost ~1 ns per read)
        let readers: Readers;
        try {
          readers = readersOf(this);
        } catch {
          throw wrongReceiver(owner, key, this);
        }
        if (readers[key] === undefined) throw wrongReceiver(owner, key, this);
        return readers[key]();
      },
      enumerable: true,
      configurable: true,
    };
    byKey.set(key, descriptor);
  }
  return descriptor;
}

/** The error of a getter called on a receiver that `addGetters` did not give it (built only then). */
function wrongReceiver(owner: string, key: string, receiver: unknown): TypeError {
  const what = receiver === null ? 'null' : typeof receiver === 'object' ? 'an object' : typeof receiver;
  return new TypeError(
    `the getter of '${key}' belongs to a faultline ${owner}; it was called on ${what} that is not one (read it as \`${key}\` of the ${owner} itself)`,
  );
}

/**
 * Adds to `target`, after its existing keys and in the order of `readers`, an own
 * getter per key of `readers` that returns `readers[key]()`. Once per object.
 * `owner` says what `target` is (`'service'`), for the error of a getter called
 * on anything else.
 */
export function addGetters<T extends object>(target: T, readers: Readers, owner: string): T {
  new WithReaders(target, readers);
  for (const key of Object.keys(readers)) Object.defineProperty(target, key, descriptorOf(owner, key));
  return target;
}

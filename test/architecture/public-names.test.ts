import { describe, expect, it } from 'vitest';
import * as adapters from '../../src/adapters/index.js';
import * as root from '../../src/index.js';
import * as matchers from '../../src/matchers/matchers.js';
import * as property from '../../src/properties/index.js';

/*
 * The naming rule of the public surface (docs/architecture.md, "Public names"):
 * a factory is the lower-camel noun of what it returns (`circuitBreaker`,
 * `seededRandom`), never `create*` / `make*` / `build*` / `new*`; classes are
 * PascalCase; constant lists are UPPER_SNAKE; namespaces are lower-camel.
 */
const ENTRIES: Record<string, Record<string, unknown>> = {
  faultline: root,
  'faultline/property': property,
  'faultline/adapters': adapters,
  'faultline/matchers': matchers,
};

/** Namespaces whose members are factories too (`dist.lognormal`, `faults.outage`, ...). */
const NAMESPACES = ['dist', 'faults', 'arb', 'invariants'] as const;

const isClass = (value: unknown): boolean =>
  typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));

function names(): { name: string; value: unknown }[] {
  const out: { name: string; value: unknown }[] = [];
  for (const [entry, mod] of Object.entries(ENTRIES)) {
    for (const [name, value] of Object.entries(mod)) {
      if (name === 'fc') continue; // fast-check, re-exported as is
      out.push({ name: `${entry}: ${name}`, value });
      if ((NAMESPACES as readonly string[]).includes(name)) {
        for (const [member, fn] of Object.entries(value as object)) {
          out.push({ name: `${entry}: ${name}.${member}`, value: fn });
        }
      }
    }
  }
  return out;
}

const last = (qualified: string) => qualified.split(/[ .]/).pop()!;

describe('public names', () => {
  const all = names();

  it('walks every entry (sanity: the known factories are there)', () => {
    const found = all.map((n) => n.name);
    for (const name of [
      'faultline: circuitBreaker',
      'faultline: seededRandom',
      'faultline: dist.lognormal',
    ]) {
      expect(found).toContain(name);
    }
    expect(found).toContain('faultline/adapters: instrumentBreaker');
  });

  it('no factory is named create*, make*, build* or new*', () => {
    const bad = all.filter((n) => /^(create|make|build|new)[A-Z]/.test(last(n.name))).map((n) => n.name);
    expect(bad).toEqual([]);
  });

  it('functions are lower camel unless they are classes (PascalCase); other values are lower camel or UPPER_SNAKE', () => {
    const bad = all
      .filter(({ name, value }) => {
        const id = last(name);
        if (isClass(value)) return !/^[A-Z][A-Za-z0-9]*$/.test(id);
        if (typeof value === 'function') return !/^[a-z][A-Za-z0-9]*$/.test(id);
        return !/^[a-z][A-Za-z0-9]*$/.test(id) && !/^[A-Z][A-Z0-9_]*$/.test(id);
      })
      .map((n) => n.name);
    expect(bad).toEqual([]);
  });
});

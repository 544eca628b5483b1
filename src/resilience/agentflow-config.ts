/*
 * Reading `agentflow.toml` (the seed's config file): TOML → the typed
 * `AgentflowConfig`, validating every value it understands (a `ConfigError`
 * naming the key path, the value, what is allowed and the line) and reporting
 * every key it does not understand as a warning.
 */
import { readFile } from 'node:fs/promises';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../errors/config-error.js';
import { checkOptions, nameOption } from '../options/validate.js';
import { duration } from '../time/duration.js';
import { AGENTFLOW_SPEC, type AgentflowConfig, type FieldRule, type TableSpec } from './agentflow-schema.js';

export interface ParseAgentflowOptions {
  /** Name used in syntax-error messages. Default `'agentflow.toml'`. */
  source?: string;
}

/**
 * Parses the text of an `agentflow.toml`. Tables become camelCase properties
 * with the TOML's units (`timeout_ms` → `timeoutMs`, milliseconds); aliases
 * (`half_open_max_calls`, `reset_timeout_ms`) fill their canonical property.
 * Invalid values and TOML syntax errors throw `ConfigError`; unknown keys and
 * tables are listed in `warnings`.
 *
 * @example
 * ```ts
 * const cfg = parseAgentflowConfig(text);
 * cfg.errorRouting?.circuitBreaker?.failureThreshold; // 5
 * ```
 */
export function parseAgentflowConfig(text: string, raw?: ParseAgentflowOptions): AgentflowConfig {
  const options = checkOptions('parseAgentflowConfig', raw, ['source']);
  const source = nameOption('parseAgentflowConfig({ source })', options.source, 'agentflow.toml');
  if (typeof text !== 'string') {
    throw new ConfigError(
      'parseAgentflowConfig(text)',
      text,
      'the text of an agentflow.toml file (a string)',
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const line = text.split(/\r?\n/)[error.line - 1]?.trim();
      const reason = error.message.split('\n')[0];
      throw new ConfigError(source, line, `valid TOML (${reason})`, { line: error.line, cause: error });
    }
    throw error;
  }
  const lines = new LineIndex(text);
  const warnings: string[] = [];
  const config = readTable(doc, AGENTFLOW_SPEC, [], lines, warnings) as unknown as AgentflowConfig;
  config.providers ??= {};
  config.warnings = warnings;
  return config;
}

/**
 * Reads and parses an `agentflow.toml` file (see `parseAgentflowConfig`).
 *
 * @example
 * ```ts
 * const cfg = await loadAgentflowConfig('./agentflow.toml');
 * const breaker = circuitBreaker(breakerOptionsFromConfig(cfg, 'openai'));
 * ```
 */
export async function loadAgentflowConfig(path: string): Promise<AgentflowConfig> {
  if (typeof path !== 'string' || path === '') {
    throw new ConfigError('loadAgentflowConfig(path)', path, 'the path of an agentflow.toml file');
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, path, 'a readable agentflow.toml file', { cause: error });
  }
  return parseAgentflowConfig(text, { source: path });
}

function readTable(
  table: Record<string, unknown>,
  spec: TableSpec,
  path: string[],
  lines: LineIndex,
  warnings: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const setBy: Record<string, string> = {};
  for (const [key, value] of Object.entries(table)) {
    const keyPath = [...path, key];
    const field = spec.fields[key];
    if (field !== undefined) {
      const parsed = readValue(value, field.rule, keyPath, lines);
      const previous = setBy[field.prop];
      if (previous !== undefined) {
        const canonicalKey = field.aliasOf ?? key;
        const aliasPath = [...path, field.aliasOf !== undefined ? key : previous];
        if (out[field.prop] !== parsed) {
          throw new ConfigError(
            dotted(aliasPath),
            table[aliasPath[aliasPath.length - 1]!],
            `the same value as ${canonicalKey} (${String(table[canonicalKey])}), or only one of the two keys`,
            { line: lines.lineOf(aliasPath) },
          );
        }
        warnings.push(`${where(dotted(aliasPath), lines.lineOf(aliasPath))}: alias repeats ${canonicalKey}`);
      }
      out[field.prop] = parsed;
      setBy[field.prop] = key;
      continue;
    }
    const sub = spec.tables?.[key];
    const subSpec = sub?.spec ?? spec.map;
    if (subSpec !== undefined) {
      if (!isTable(value)) {
        throw new ConfigError(dotted(keyPath), value, 'a table', { line: lines.lineOf(keyPath) });
      }
      out[sub?.prop ?? key] = readTable(value, subSpec, keyPath, lines, warnings);
      continue;
    }
    const kind = isTable(value) ? 'table' : 'key';
    warnings.push(`${where(dotted(keyPath), lines.lineOf(keyPath))}: unknown ${kind}, ignored`);
  }
  const violation = spec.check?.(out);
  if (violation !== undefined) {
    const [key, allowed] = violation;
    throw new ConfigError(dotted([...path, key]), table[key], allowed, {
      line: lines.lineOf([...path, key]),
    });
  }
  return out;
}

function readValue(value: unknown, rule: FieldRule, path: string[], lines: LineIndex): unknown {
  const fail = (allowed: string): never => {
    throw new ConfigError(dotted(path), value, allowed, { line: lines.lineOf(path) });
  };
  switch (rule.type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('true or false');
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min
        ? value
        : fail(`an integer >= ${rule.min}`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= rule.min
        ? value
        : fail(`a finite number >= ${rule.min}`);
    case 'ms':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? value
        : fail('a finite number of milliseconds >= 0');
    case 'duration': {
      const allowed = 'a number of milliseconds >= 0 or a duration string such as "30s"';
      if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : fail(allowed);
      if (typeof value !== 'string') return fail(allowed);
      try {
        return duration(value);
      } catch {
        return fail(allowed);
      }
    }
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value)
        ? value
        : fail(`one of ${rule.values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function dotted(path: readonly string[]): string {
  return path.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join('.');
}

function where(path: string, line: number | undefined): string {
  return line === undefined ? path : `${path} (line ${line})`;
}

const BARE_OR_QUOTED = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const KEY = new RegExp(String.raw`^(${BARE_OR_QUOTED}(?:\s*\.\s*${BARE_OR_QUOTED})*)\s*=\s*(.*)$`);
const HEADER = new RegExp(String.raw`^\[\[?\s*(${BARE_OR_QUOTED}(?:\s*\.\s*${BARE_OR_QUOTED})*)\s*\]\]?`);
const INLINE_KEY = /([A-Za-z0-9_-]+)\s*=/g;

/**
 * Where each key and table header is in the text: a line scan that tracks the
 * current `[table]` header, so a key is found within its own table. Keys inside
 * one-line inline tables are indexed too. A path not found falls back to its
 * nearest indexed parent.
 */
class LineIndex {
  private readonly map = new Map<string, number>();

  constructor(text: string) {
    let table: string[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '' || line.startsWith('#')) continue;
      const header = HEADER.exec(line);
      if (header) {
        table = splitKey(header[1]!);
        this.remember(table, i + 1);
        continue;
      }
      const key = KEY.exec(line);
      if (!key) continue;
      const path = [...table, ...splitKey(key[1]!)];
      this.remember(path, i + 1);
      const rest = key[2]!;
      if (rest.startsWith('{')) {
        for (const m of rest.matchAll(INLINE_KEY)) this.remember([...path, m[1]!], i + 1);
      }
    }
  }

  lineOf(path: readonly string[]): number | undefined {
    for (let n = path.length; n > 0; n--) {
      const line = this.map.get(path.slice(0, n).join('\u0000'));
      if (line !== undefined) return line;
    }
    return undefined;
  }

  private remember(path: readonly string[], line: number): void {
    const id = path.join('\u0000');
    if (!this.map.has(id)) this.map.set(id, line);
  }
}

function splitKey(key: string): string[] {
  const parts: string[] = [];
  const part = new RegExp(BARE_OR_QUOTED, 'y');
  let i = 0;
  while (i < key.length) {
    while (key[i] === ' ' || key[i] === '\t' || key[i] === '.') i++;
    part.lastIndex = i;
    const m = part.exec(key);
    if (!m) break;
    const raw = m[0];
    parts.push(
      raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1) : raw,
    );
    i = part.lastIndex;
  }
  return parts;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isScenario, type Scenario } from '../simulators/kernel/scenario.js';
import { CliError } from './cli-error.js';

/*
 * Loads a scenario file: TypeScript or JavaScript, no build step (tsx's loader
 * is registered once per thread), whose default export is `scenario(...)`.
 */

let registered: Promise<unknown> | undefined;

function registerTypeScript(): Promise<unknown> {
  registered ??= import('tsx/esm/api').then(({ register }) => register());
  return registered;
}

const loaded = new Map<string, Promise<Scenario>>();

/** Imports `file` (resolved against the working directory) and returns its default-exported scenario. */
export function loadScenario(file: string): Promise<Scenario> {
  const path = resolve(file);
  let scenario = loaded.get(path);
  if (!scenario) {
    scenario = load(file, path);
    loaded.set(path, scenario);
  }
  return scenario;
}

async function load(file: string, path: string): Promise<Scenario> {
  if (!existsSync(path)) throw new CliError(`scenario file not found: ${file}`);
  await registerTypeScript();
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new CliError(`could not load scenario file ${file}: ${(error as Error)?.stack ?? String(error)}`);
  }
  const value = module.default;
  if (!isScenario(value)) {
    const got = value === undefined ? 'no default export' : `a default export of type ${typeof value}`;
    throw new CliError(
      `${file} must export a scenario as its default export: export default scenario('name', async (sim) => { … }); found ${got}`,
    );
  }
  return value;
}

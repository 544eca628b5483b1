/**
 * The environment for a child process that must behave as if started from a shell:
 * no vitest worker state (a nested vitest would think it is a worker) and no
 * FAULTLINE_SEED or FAULTLINE_RUN leaking in from the parent.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      key.startsWith('VITEST') ||
      key === 'FAULTLINE_SEED' ||
      key === 'FAULTLINE_RUN' ||
      key === 'NODE_OPTIONS' ||
      key === 'TEST'
    )
      continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

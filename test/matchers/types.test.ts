import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/*
 * The type test: `tsc` over types/fixture.ts, resolving 'faultline/vitest' and
 * 'faultline/matchers' through package.json `exports` to the built declarations
 * (as a user's project does). The fixture uses every matcher as documented and
 * marks misuses (a misspelt matcher, a wrong option) @ts-expect-error: tsc fails
 * if one of those typechecks, or if a correct line does not.
 */
describe('matcher types', () => {
  it('expect(result).toHaveTrippedBreaker(...) typechecks and a misspelt matcher does not', async () => {
    const tsc = promisify(execFile)(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'test/matchers/types/tsconfig.json',
    ]);
    const { stdout, stderr } = await tsc.catch((error: { stdout: string; stderr: string }) => error);
    expect(`${stdout}${stderr}`).toBe('');
  }, 60_000);
});

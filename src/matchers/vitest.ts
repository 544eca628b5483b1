/**
 * `faultline/vitest`: import it once (a `setupFiles` entry, or at the top of a
 * test file) to register faultline's matchers on vitest's `expect`, with their
 * types; it also exports `simTest`, a test that is a simulation.
 *
 * @example
 * ```ts
 * // vitest.config.ts: test: { setupFiles: ['faultline/vitest'] }
 * import { simTest } from 'faultline/vitest';
 * ```
 */
import { expect } from 'vitest';
import { matchers } from './matchers.js';

expect.extend(matchers);

export { type ExpectedError, type FaultlineMatchers, matchers } from './matchers.js';
export { type SimTest, simTest } from './sim-test.js';

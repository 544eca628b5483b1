import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { simulate } from '../../../src/index.js';
import { randomScenario } from '../../fixtures/random-scenario.js';

// Run by replay.test.ts in a child vitest (with FAULTLINE_REPLAY_OUT set), then again
// through the command it printed; alone it checks the seed rule on a random seed.
it('a run seeded from Math.random replays from its printed command', async () => {
  const chosen = Math.floor(Math.random() * 1e9);
  const result = await simulate({ seed: chosen }, randomScenario);
  const env = process.env.FAULTLINE_SEED;
  expect(result.seed).toBe(env ? Number(env) : chosen);
  expect(result.rerun).toContain(`FAULTLINE_SEED=${result.seed} `);
  const out = process.env.FAULTLINE_REPLAY_OUT;
  if (out)
    writeFileSync(out, JSON.stringify({ seed: result.seed, hash: result.trace.hash, rerun: result.rerun }));
});

import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { simulate } from '../../../src/index.js';
import { randomScenario } from '../../fixtures/random-scenario.js';

// Run by replay.test.ts in a child vitest (with FAULTLINE_REPLAY_OUT set), then again through
// the command its third run printed; alone it checks that runs 1 and 2 keep their own seeds.
it('the third run of a test replays alone from its printed command', async () => {
  const runs = [
    await simulate({ seed: 11 }, randomScenario),
    await simulate({ seed: 22 }, randomScenario),
    await simulate({ seed: Math.floor(Math.random() * 1e9) }, async (sim) => {
      await randomScenario(sim);
      throw new Error('the third run fails');
    }),
  ];
  expect(runs.map((r) => r.seed).slice(0, 2)).toEqual([11, 22]);
  expect(runs[2]!.outcome).toBe('failed');
  expect(runs[2]!.rerun).toContain(`FAULTLINE_SEED=${runs[2]!.seed} FAULTLINE_RUN=3 npx vitest run `);
  const out = process.env.FAULTLINE_REPLAY_OUT;
  if (out)
    writeFileSync(
      out,
      JSON.stringify(runs.map((r) => ({ seed: r.seed, hash: r.trace.hash, rerun: r.rerun }))),
    );
});

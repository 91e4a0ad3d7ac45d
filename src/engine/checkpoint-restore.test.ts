import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import type { ExperimentConfig } from '../schema/config';
import { tinyConfig } from '../test/fixtures';
import { ImpSession, type SessionCheckpoint } from './imp-session';

const data = syntheticDataset();

describe('restoring a checkpoint', () => {
  it('names its random streams, and resumes one saved before a setting existed', async () => {
    const config = tinyConfig({ cycles: 2, rewind: 'init' });
    const whole = new ImpSession(config, data, { runtime: 'node' });
    const expected = await whole.runAll();
    whole.dispose();

    const first = new ImpSession(config, data, { runtime: 'node' });
    await first.trainDense();
    await first.stepCycle();
    const checkpoint = structuredClone(await first.checkpoint());
    first.dispose();
    expect(checkpoint.draws).toEqual({
      dataOrder: expect.any(Number),
      prune: 0,
      bnRecalibration: 0,
    });
    expect(checkpoint.draws.dataOrder).toBeGreaterThan(0);

    // An older app's config: no bnRecalibration yet, its keys in another order. JSON.parse
    // types it as today's, as the old archive's read did.
    const { bnRecalibration, ...rest } = checkpoint.results.config;
    expect(bnRecalibration).toBe(false); // the default an older save stands for
    const older: ExperimentConfig = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(rest).reverse())),
    );
    const stale: SessionCheckpoint = {
      ...checkpoint,
      results: { ...checkpoint.results, config: older },
    };
    const second = new ImpSession(config, data, { runtime: 'node' });
    second.restore(stale);
    const resumed = await second.runAll();
    second.dispose();
    const numbers = (r: typeof expected) =>
      r.cycles.map((c) => [c.pruned, c.afterPrune, c.afterRewind, c.afterRetrain]);
    expect(numbers(resumed)).toEqual(numbers(expected));
    expect(resumed.config).toEqual(config); // the session's parsed settings, not the stale ones

    // Other settings are still refused.
    const third = new ImpSession(config, data, { runtime: 'node' });
    expect(() =>
      third.restore({ ...stale, results: { ...stale.results, config: { ...older, seed: 7 } } }),
    ).toThrow(/other settings/);
    third.dispose();
  });
});

/**
 * BIMP's validation split: a seeded share of the training set held out, disjoint from what is
 * trained on, and its accuracy reported beside the test accuracy in a run's results.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../schema/config';
import { resultsSchema } from '../schema/results';
import { testClient } from '../test/in-process';
import { syntheticDataset } from './synthetic';
import { holdOutValidation } from './validation';

describe('holdOutValidation', () => {
  it('moves a seeded 10% of the training images into validation, nothing lost or doubled', () => {
    const data = syntheticDataset();
    const split = holdOutValidation(data, 0.1, 3);
    expect(split.validation!.count).toBe(102);
    expect(split.train.count).toBe(1024 - 102);
    const size = 28 * 28;
    const key = (images: Uint8Array, i: number) =>
      `${images.subarray(i * size, (i + 1) * size).join(',')}`;
    const all = new Set(Array.from({ length: 1024 }, (_, i) => key(data.train.images, i)));
    const seen = new Set<string>();
    for (const part of [split.train, split.validation!]) {
      for (let i = 0; i < part.count; i++) seen.add(key(part.images, i));
    }
    expect(seen).toEqual(all);
    expect(holdOutValidation(data, 0.1, 3).validation!.labels).toEqual(split.validation!.labels);
    expect(holdOutValidation(data, 0.1, 4).validation!.images).not.toEqual(
      split.validation!.images,
    );
    expect(holdOutValidation(data, 0, 3)).toBe(data);
  });

  it('a run reports validation accuracy beside test accuracy, and trains on the rest', async () => {
    const client = testClient();
    const snapshot = await client.configure(
      parseConfig({
        dataset: 'synthetic',
        model: 'lenet300',
        denseEpochs: 1,
        cycles: 1,
        retrainEpochs: 1,
        batchSize: 64,
        validationSplit: 0.25,
      }),
    );
    expect(snapshot.dataset.train).toBe(768);
    const results = resultsSchema.parse(await client.runAll());
    expect(results.dense!.final.validationAccuracy).toBeGreaterThan(0);
    expect(results.dense!.epochs[0]!.validationAccuracy).toBe(
      results.dense!.final.validationAccuracy,
    );
    expect(results.cycles[0]!.afterRetrain!.validationAccuracy).toBeGreaterThan(0);
  });
});

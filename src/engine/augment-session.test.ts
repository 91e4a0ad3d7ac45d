/**
 * The paper's CIFAR augmentation in a run: on by default for CIFAR, seeded (the same seed gives
 * the same run), off when the config says so, and never applied to a set the paper does not
 * augment.
 */
import { describe, expect, it } from 'vitest';
import { loadCifar } from '../cli/node-data';
import { syntheticDataset } from '../data/synthetic';
import { parseConfig } from '../schema/config';
import { testClient } from '../test/in-process';
import { writeCifar10 } from '../test/cifar-fixture';

const fixture = writeCifar10(8, 10);

async function denseLoss(config: Record<string, unknown>): Promise<number> {
  const client = testClient({
    loadDataset: async (name) =>
      name === 'cifar10' ? loadCifar('cifar10', fixture.archive) : syntheticDataset(),
  });
  await client.configure(
    parseConfig({
      model: 'lenet300',
      denseEpochs: 1,
      cycles: 1,
      retrainEpochs: 0,
      batchSize: 10,
      ...config,
    }),
  );
  const results = await client.trainDense();
  return results.dense!.epochs[0]!.trainLoss;
}

describe('CIFAR augmentation in a run', () => {
  it('is on by default for CIFAR, seeded, and off on request', async () => {
    const on = await denseLoss({ dataset: 'cifar10' });
    expect(await denseLoss({ dataset: 'cifar10' })).toBe(on);
    const off = await denseLoss({ dataset: 'cifar10', augment: false });
    expect(off).not.toBe(on);
  });

  it('leaves a set the paper does not augment alone', async () => {
    const a = await denseLoss({ dataset: 'synthetic' });
    expect(await denseLoss({ dataset: 'synthetic', augment: false })).toBe(a);
  });
});

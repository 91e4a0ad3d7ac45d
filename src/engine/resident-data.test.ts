import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fillBatch, type ImageDataset } from '../data/dataset';
import { makeRng } from '../data/rng';
import { syntheticDataset } from '../data/synthetic';
import { tinyConfig } from '../test/fixtures';
import { ImpSession } from './imp-session';
import { ResidentSplit } from './resident-data';

/** Every byte value, in images whose size is not a multiple of 3 (4 x 4 x 1 = 16 pixels). */
function oddImages(): ImageDataset {
  const rng = makeRng(3);
  const count = 40;
  const images = Uint8Array.from({ length: count * 16 }, (_, i) =>
    i < 256 ? i : Math.floor(rng() * 256),
  );
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const split = { images, labels, count };
  return {
    name: 'synthetic',
    imageShape: [4, 4, 1],
    numClasses: 10,
    mean: 0.3,
    std: 0.7,
    train: split,
    test: split,
  };
}

describe('device-resident data', () => {
  it('gathers the same normalised batches as the host path, to float32 rounding', () => {
    for (const data of [oddImages(), syntheticDataset()]) {
      const resident = new ResidentSplit(data, data.train);
      const indices = Int32Array.from([data.train.count - 1, 0, 7, 3, 3, 15]);
      const size = data.imageShape.reduce((a, b) => a * b, 1);
      const x = new Float32Array(indices.length * size);
      const y = new Int32Array(indices.length);
      fillBatch(data, data.train, indices, 0, indices.length, x, y);
      const before = tf.memory().numTensors;
      const batch = resident.batch(indices);
      expect(batch.x.shape).toEqual([indices.length, ...data.imageShape]);
      const got = batch.x.dataSync();
      let worst = 0;
      got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - x[i]!))));
      expect(worst).toBeLessThan(1e-5);
      expect(Array.from(batch.y.dataSync())).toEqual(Array.from(y));
      tf.dispose([batch.x, batch.y]);
      expect(tf.memory().numTensors).toBe(before); // nothing left behind per batch
      resident.dispose();
    }
  });

  it('trains the same run as host batches', async () => {
    const run = async (residentData: boolean) => {
      const session = new ImpSession(tinyConfig({ cycles: 1 }), syntheticDataset(), {
        runtime: 'node',
        residentData,
      });
      const results = await session.runAll();
      session.dispose();
      return results;
    };
    const [host, device] = [await run(false), await run(true)];
    expect(device.cycles[0]!.sparsity).toBe(host.cycles[0]!.sparsity);
    expect(device.dense!.final.testLoss).toBeCloseTo(host.dense!.final.testLoss, 3);
    expect(device.cycles[0]!.afterRetrain!.testAccuracy).toBeCloseTo(
      host.cycles[0]!.afterRetrain!.testAccuracy,
      1,
    );
  });
});

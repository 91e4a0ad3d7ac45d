/**
 * A results file of a run on your own IDX files (`idx`) reads back with the class count its labels
 * gave (KMNIST-49 has 49 classes, EMNIST ByClass 62) and a training set larger than the nominal
 * 60,000; a last layer that contradicts the model is refused.
 */
import { describe, expect, it } from 'vitest';
import type { ImageDataset } from '../data/dataset';
import { ImpSession } from '../engine/imp-session';
import { tinyConfig } from '../test/fixtures';
import { parseResultsJson } from './results-link';

/** `count` 28 x 28 images of 26 classes (EMNIST Letters' count), pixels from a fixed formula. */
function split(count: number) {
  const images = new Uint8Array(count * 784).map((_, i) => (i * 2654435761) >>> 24);
  const labels = new Uint8Array(count).map((_, i) => i % 26);
  return { images, labels, count };
}

describe('results of a run on your own IDX files', async () => {
  const data: ImageDataset = {
    name: 'idx',
    imageShape: [28, 28, 1],
    numClasses: 26,
    mean: 0.5,
    std: 0.3,
    train: split(520),
    test: split(52),
  };
  const config = tinyConfig({ dataset: 'idx', cycles: 1, retrainEpochs: 0, batchSize: 52 });
  const session = new ImpSession(config, data, { runtime: 'node' });
  const results = await session.runAll();
  session.dispose();

  it('import with the class count of the labels', () => {
    expect(results.model.layers.at(-1)!.shape).toEqual([100, 26]);
    expect(parseResultsJson(JSON.stringify(results), 'run.json')).toEqual({ results });
  });

  it('refuse a last layer that does not match the rest of the model', () => {
    const forged = structuredClone(results);
    forged.model.layers[1]!.shape = [300, 7];
    expect(parseResultsJson(JSON.stringify(forged), 'run.json')).toEqual({
      error: expect.stringMatching(/does not match the model it names/),
    });
  });
});

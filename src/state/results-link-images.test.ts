/**
 * A results file of a run on your own images (`images`) reads back: its class count is its
 * folders' own (the last layer's width) and its training set may be larger than the registry's
 * nominal count (up to the 100,000 images a folder may hold); a forged class count is refused.
 */
import { describe, expect, it } from 'vitest';
import { readImageFolder } from '../data/image-folder';
import { decodeImageNode } from '../data/node-image-decode';
import { ImpSession } from '../engine/imp-session';
import { fixtureEntries } from '../test/image-folder-fixture';
import { tinyConfig } from '../test/fixtures';
import { parseResultsJson } from './results-link';

describe('results of a run on your own images', async () => {
  // 4 classes of 330 images: 1,056 training images, more than the nominal 1,000.
  const entries = fixtureEntries({ classes: 4, perClass: 330, jpeg: false });
  const data = await readImageFolder(entries, decodeImageNode, { size: 8, channels: 'grey' });
  const config = tinyConfig({
    dataset: 'images',
    imageSize: 8,
    imageChannels: 'grey',
    cycles: 1,
    retrainEpochs: 0,
    batchSize: 32,
  });
  const session = new ImpSession(config, data, { runtime: 'node' });
  const results = await session.runAll();
  session.dispose();

  it('import with the class count and training set of the folder', () => {
    expect(data.train.count).toBe(1056);
    expect(results.dense!.lrSchedule).toHaveLength(33);
    expect(results.model.layers.at(-1)!.shape).toEqual([100, 4]);
    const read = parseResultsJson(JSON.stringify(results), 'run.json');
    expect(read).toEqual({ results });
  });

  it('refuse a last layer that does not match the rest of the model', () => {
    const forged = structuredClone(results);
    forged.model.layers[1]!.shape = [300, 7];
    expect(parseResultsJson(JSON.stringify(forged), 'run.json')).toEqual({
      error: expect.stringMatching(/does not match the model it names/),
    });
  });
});

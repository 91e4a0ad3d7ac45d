/**
 * The engine host and a set resized by the config (`images`): the loader is asked for the run's
 * imageSize and imageChannels, each size is loaded once and kept, and opening or removing the
 * set forgets every size; other data sets are asked for no size at all.
 */
import { describe, expect, it } from 'vitest';
import { readImageFolder } from '../data/image-folder';
import { decodeImageNode } from '../data/node-image-decode';
import { syntheticDataset } from '../data/synthetic';
import { fixtureEntries } from '../test/image-folder-fixture';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import type { DataSource } from './engine-host';

describe('the engine host with your own images', () => {
  it('loads each size and channels once, forgets them all when the set changes', async () => {
    const entries = fixtureEntries();
    const asked: (DataSource['image'] | string)[] = [];
    const summary = {
      id: 'images' as const,
      label: 'Your images (class folders)',
      fileName: 'shapes.zip',
      fileBytes: 1,
      storedBytes: 1,
      train: 16,
      test: 3,
      savedAt: 0,
    };
    const client = testClient({
      loadDataset: async (name, _onProgress, source) => {
        if (name === 'synthetic') {
          asked.push(source?.image ?? 'no size');
          return syntheticDataset();
        }
        asked.push(source?.image);
        return readImageFolder(entries, decodeImageNode, source!.image!);
      },
      userData: { open: async () => summary, list: async () => [summary], remove: async () => {} },
    });
    const config = tinyConfig({ dataset: 'images', batchSize: 4 });
    const at = async (imageSize: number, imageChannels: 'grey' | 'rgb' = 'rgb') =>
      (await client.configure({ ...config, imageSize, imageChannels })).dataset;

    expect(await at(8)).toEqual({ name: 'images', train: 16, test: 3 });
    await at(12, 'grey');
    await at(8);
    await at(12, 'grey');
    expect(asked).toEqual([
      { size: 8, channels: 'rgb' },
      { size: 12, channels: 'grey' },
    ]);
    await client.openDataFiles([new File([new Uint8Array(4)], 'shapes.zip')], () => {});
    await at(8);
    await client.removeUserData('images');
    await at(12, 'grey');
    expect(asked.slice(2)).toEqual([
      { size: 8, channels: 'rgb' },
      { size: 12, channels: 'grey' },
    ]);
    // Other sets ignore the image settings.
    await client.configure(tinyConfig({ imageSize: 16 }));
    expect(asked.at(-1)).toBe('no size');
  });
});

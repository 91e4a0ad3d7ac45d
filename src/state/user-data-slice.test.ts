/**
 * The user's own data files through the store and an in-process engine host: the engine parses
 * the archive (the real reader, on an archive packed by GNU tar), the store lists what is kept
 * and picks its data set; a damaged file is refused in words and changes nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCifarArchive } from '../data/cifar';
import type { ImageDataset } from '../data/dataset';
import { writeCifar10 } from '../test/cifar-fixture';
import { testClient } from '../test/in-process';
import type { UserDataEnvironment } from '../worker/engine-host';
import type { UserDataSummary } from '../worker/protocol';
import { createAppStore } from './store';

/** What the worker keeps in IndexedDB, kept in a Map. */
function memoryUserData(): UserDataEnvironment & { sets: Map<string, ImageDataset> } {
  const sets = new Map<string, ImageDataset>();
  const summaries = new Map<string, UserDataSummary>();
  return {
    sets,
    open: async (files, onProgress) => {
      const file = files[0]!;
      const fileName = file.name;
      const data = await readCifarArchive(file, fileName, null, ({ loadedBytes, totalBytes }) =>
        onProgress(loadedBytes / totalBytes),
      );
      const id = data.name as 'cifar10';
      sets.set(id, data);
      const summary = {
        id,
        label: 'CIFAR-10 (your file, 50k / 10k)',
        fileName,
        fileBytes: file.size,
        storedBytes: data.train.images.length + data.test.images.length,
        train: data.train.count,
        test: data.test.count,
        savedAt: 0,
      };
      summaries.set(id, summary);
      return summary;
    },
    list: async () => [...summaries.values()],
    remove: async (id) => {
      sets.delete(id);
      summaries.delete(id);
    },
  };
}

describe('user data slice', () => {
  it('opens a CIFAR-10 archive, lists it, picks it, and the engine trains on it', async () => {
    const userData = memoryUserData();
    const client = testClient({
      userData,
      loadDataset: async (name) => {
        const data = userData.sets.get(name);
        if (!data) throw new Error(`no ${name}`);
        return data;
      },
    });
    const store = createAppStore(client);
    const fixture = writeCifar10(4, 6);
    const bytes = readFileSync(fixture.archive);

    const cut = new File([bytes.subarray(0, 200)], 'cifar-10-binary.tar.gz');
    await store.getState().openDataFiles([cut]);
    expect(store.getState().userDataError).toMatch(/cifar-10-binary\.tar\.gz/);
    expect(store.getState().userData).toEqual([]);
    expect(store.getState().config.dataset).toBe('fashion-mnist'); // the default, unchanged;

    await store.getState().openDataFiles([new File([bytes], 'cifar-10-binary.tar.gz')]);
    expect(store.getState().userDataError).toBeNull();
    expect(store.getState().userDataReading).toBeNull();
    expect(store.getState().userData.map((d) => [d.id, d.train, d.test])).toEqual([
      ['cifar10', 20, 6],
    ]);
    expect(store.getState().config.dataset).toBe('cifar10');
    const snapshot = await client.configure({ ...store.getState().config, batchSize: 10 });
    expect(snapshot.dataset).toEqual({ name: 'cifar10', train: 20, test: 6 });

    await store.getState().removeUserData('cifar10');
    expect(store.getState().userData).toEqual([]);
  });
});

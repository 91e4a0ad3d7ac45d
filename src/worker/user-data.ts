/**
 * The data sets opened from the user's own files (CIFAR-10 / CIFAR-100 archives), kept parsed in
 * this browser's IndexedDB (idb-keyval, a store of its own) so a reload does not ask again: one
 * entry per data-set id, holding the parsed set and what it came from. Runs in the engine worker.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { DATASET_REGISTRY } from '../core/datasets';
import { readCifarArchive } from '../data/cifar';
import type { ImageDataset } from '../data/dataset';
import type { DatasetName } from '../schema/config';
import type { UserDataSummary } from './protocol';

interface StoredUserData {
  summary: UserDataSummary;
  dataset: ImageDataset;
}

let store: UseStore | null = null;
const userStore = () => (store ??= createStore('pruning-lab-user-data', 'sets'));

/** Bytes the parsed set takes (pixels and labels). */
const parsedBytes = (d: ImageDataset) =>
  d.train.images.length + d.train.labels.length + d.test.images.length + d.test.labels.length;

/**
 * Parses `file` (a CIFAR-10 or CIFAR-100 binary archive) and keeps it, replacing an earlier
 * copy of the same set. `onProgress`: the fraction of the file read. A wrong or damaged file
 * throws an Error in words, and whatever was kept before stays.
 */
export async function openUserFile(
  file: Blob,
  fileName: string,
  onProgress: (fraction: number) => void,
): Promise<UserDataSummary> {
  const dataset = await readCifarArchive(file, fileName, null, ({ loadedBytes, totalBytes }) =>
    onProgress(totalBytes > 0 ? loadedBytes / totalBytes : 1),
  );
  const id = dataset.name as DatasetName;
  const summary: UserDataSummary = {
    id,
    label: DATASET_REGISTRY[id].label,
    fileName,
    fileBytes: file.size,
    storedBytes: parsedBytes(dataset),
    train: dataset.train.count,
    test: dataset.test.count,
    savedAt: Date.now(),
  };
  await set(id, { summary, dataset } satisfies StoredUserData, userStore());
  return summary;
}

export async function listUserFiles(): Promise<UserDataSummary[]> {
  const all = await entries<string, StoredUserData>(userStore());
  return all.map(([, value]) => value.summary).sort((a, b) => a.id.localeCompare(b.id));
}

export async function removeUserFile(id: DatasetName): Promise<void> {
  await del(id, userStore());
}

/** The kept copy of `id`, or an Error that says which file to open. */
export async function loadUserFile(id: DatasetName): Promise<ImageDataset> {
  const kept = await get<StoredUserData>(id, userStore());
  if (kept) return kept.dataset;
  const entry = DATASET_REGISTRY[id];
  throw new Error(
    `${entry.label.split(' (')[0]} is not in this browser yet: open your copy of ` +
      `${entry.userFiles ?? 'its files'} with “Open data file…” under Data set.`,
  );
}

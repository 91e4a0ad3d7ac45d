/**
 * The data sets opened from the user's own files (CIFAR-10 / CIFAR-100 archives, IDX files), kept parsed in
 * this browser's IndexedDB (idb-keyval, a store of its own) so a reload does not ask again: one
 * entry per data-set id, holding the parsed set and what it came from. Runs in the engine worker.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { DATASET_REGISTRY } from '../core/datasets';
import type { ImageDataset } from '../data/dataset';
import { readUserFiles } from '../data/user-files';
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
 * Parses `files` (src/data/user-files.ts: a CIFAR archive or its batch files, or four IDX
 * files) and keeps the set, replacing an earlier copy of the same one. `onProgress`: the
 * fraction read. A wrong or damaged file throws an Error in words; what was kept stays.
 */
export async function openUserFiles(
  files: readonly File[],
  onProgress: (fraction: number) => void,
): Promise<UserDataSummary> {
  const dataset = await readUserFiles(
    files.map((file) => ({ name: file.name, blob: file })),
    onProgress,
  );
  const id = dataset.name as DatasetName;
  const summary: UserDataSummary = {
    id,
    label: DATASET_REGISTRY[id].label,
    fileName: files.length === 1 ? files[0]!.name : `${files.length} files`,
    fileBytes: files.reduce((sum, f) => sum + f.size, 0),
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

/**
 * The data sets opened from the user's own files (CIFAR-10 / CIFAR-100 archives, IDX files,
 * images in class folders), kept in this browser's IndexedDB (idb-keyval, a store of its own) so
 * a reload does not ask again: one entry per data-set id, holding what it came from and the
 * parsed set, or for images the folder's files themselves (each run decodes and resizes them to
 * its own imageSize and imageChannels). Runs in the engine worker.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { DATASET_REGISTRY } from '../core/datasets';
import type { ImageDataset } from '../data/dataset';
import { readImageFolder, type FolderEntry, type ImageChannels } from '../data/image-folder';
import {
  imageFolderFiles,
  imageFolderName,
  isImageFolderOpening,
  readUserFiles,
  type OpenedFile,
} from '../data/user-files';
import type { DatasetName } from '../schema/config';
import { decodeImageBrowser } from './image-decode';
import type { UserDataSummary } from './protocol';

interface StoredUserData {
  summary: UserDataSummary;
  /** The parsed set (CIFAR, IDX). */
  dataset?: ImageDataset;
  /** An image folder's files (`images`), decoded when a run asks. */
  folder?: FolderEntry[];
}

/** The size an image folder is read at when opened (to check it and count its images). */
const OPEN_RESIZE = { size: 32, channels: 'rgb' as ImageChannels };
/** The image folder last decoded, at which size: the next run at that size reads no file again. */
let decoded: { key: string; dataset: Promise<ImageDataset> } | null = null;

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
  paths?: readonly string[],
): Promise<UserDataSummary> {
  // A folder's files carry their path inside it: a dropped folder's as `paths`, a folder
  // picker's (an <input webkitdirectory>) as webkitRelativePath.
  const opened: OpenedFile[] = files.map((file, i) => {
    const path = paths?.[i] || file.webkitRelativePath;
    return { name: file.name, blob: file, ...(path ? { path } : {}) };
  });
  const summaryOf = (dataset: ImageDataset, storedBytes: number): UserDataSummary => {
    const id = dataset.name as DatasetName;
    return {
      id,
      label: DATASET_REGISTRY[id].label,
      fileName: files.length === 1 ? files[0]!.name : `${files.length} files`,
      fileBytes: files.reduce((sum, f) => sum + f.size, 0),
      storedBytes,
      train: dataset.train.count,
      test: dataset.test.count,
      savedAt: Date.now(),
    };
  };
  if (isImageFolderOpening(opened)) {
    const name = imageFolderName(opened);
    // A tenth for reading (and unzipping), the rest for decoding every image once, to check it.
    const folder = await imageFolderFiles(opened, (f) => onProgress(0.1 * f));
    const dataset = await readImageFolder(
      folder,
      decodeImageBrowser,
      { ...OPEN_RESIZE, onProgress: (f) => onProgress(0.1 + 0.9 * f) },
      name,
    );
    const summary: UserDataSummary = {
      ...summaryOf(
        dataset,
        folder.reduce((sum, e) => sum + e.bytes.length, 0),
      ),
      fileName: files.length === 1 ? files[0]!.name : name,
      classNames: dataset.classNames,
      heldOut: dataset.testFolder === null,
    };
    await set('images', { summary, folder } satisfies StoredUserData, userStore());
    decoded = { key: resizeKey(OPEN_RESIZE), dataset: Promise.resolve(dataset) };
    return summary;
  }
  const dataset = await readUserFiles(opened, onProgress);
  const summary = summaryOf(dataset, parsedBytes(dataset));
  await set(summary.id, { summary, dataset } satisfies StoredUserData, userStore());
  return summary;
}

const resizeKey = (image: { size: number; channels: ImageChannels }) =>
  `${image.size}-${image.channels}`;

export async function listUserFiles(): Promise<UserDataSummary[]> {
  const all = await entries<string, StoredUserData>(userStore());
  return all.map(([, value]) => value.summary).sort((a, b) => a.id.localeCompare(b.id));
}

export async function removeUserFile(id: DatasetName): Promise<void> {
  if (id === 'images') decoded = null;
  await del(id, userStore());
}

/**
 * The kept copy of `id`, or an Error that says which file to open. An image folder is decoded
 * and resized to `image` (the run's imageSize and imageChannels), reporting the fraction done.
 */
export async function loadUserFile(
  id: DatasetName,
  image: { size: number; channels: ImageChannels } = OPEN_RESIZE,
  onProgress: (fraction: number) => void = () => {},
): Promise<ImageDataset> {
  const kept = await get<StoredUserData>(id, userStore());
  if (kept?.dataset) return kept.dataset;
  if (kept?.folder) {
    const key = resizeKey(image);
    if (decoded?.key !== key) {
      const folder = kept.folder;
      const dataset = readImageFolder(
        folder,
        decodeImageBrowser,
        { ...image, onProgress },
        kept.summary.fileName,
      );
      decoded = { key, dataset };
      dataset.catch(() => (decoded = null));
    }
    return decoded!.dataset;
  }
  const entry = DATASET_REGISTRY[id];
  throw new Error(
    `The data set “${entry.label.split(' (')[0]}” is not in this browser yet: open your copy ` +
      `of ${entry.userFiles ?? 'its files'} with “Open data file…” under Data set.`,
  );
}

/**
 * Web Worker entry: exposes the engine host over Comlink. Thin by design.
 * Must not import React, zustand, src/state or src/ui, and never touches the DOM.
 */
import { expose } from 'comlink';
import type { ImageDataset } from '../data/dataset';
import { FASHION_MNIST_SERVED } from '../data/fashion-mnist';
import { fetchIdxSet, fetchMnist } from '../data/fetch-mnist';
import { syntheticDataset } from '../data/synthetic';
import { onBackendLost, selectBrowserBackend } from './browser-backend';
import { createEngineHost, type DataSource } from './engine-host';
import type { WorkerApi } from './protocol';
import { indexedDbRateMemory } from './training-rate';
import { listUserFiles, loadUserFile, openUserFiles, removeUserFile } from './user-data';
import type { DatasetName } from '../schema/config';

let dataUrl: string | null = null;

/** One loader per data set of the registry (src/core/datasets.ts); the type asks for each. */
const LOADERS: Record<
  DatasetName,
  (onProgress: (fraction: number | null) => void, source?: DataSource) => Promise<ImageDataset>
> = {
  synthetic: async () => syntheticDataset(),
  mnist: (onProgress) => {
    if (!dataUrl) throw new Error('The engine was not told where its data lives (init).');
    return fetchMnist(dataUrl, ({ loadedBytes, totalBytes }) =>
      onProgress(totalBytes > 0 ? loadedBytes / totalBytes : null),
    );
  },
  // Beside MNIST's folder: data/fashion-mnist/, when the build had the files.
  'fashion-mnist': (onProgress) => {
    if (!dataUrl) throw new Error('The engine was not told where its data lives (init).');
    return fetchIdxSet(
      new URL('../fashion-mnist/', dataUrl).toString(),
      FASHION_MNIST_SERVED,
      ({ loadedBytes, totalBytes }) => onProgress(totalBytes > 0 ? loadedBytes / totalBytes : null),
    );
  },
  // The user's own archives, parsed once and kept in IndexedDB (user-data.ts).
  cifar10: () => loadUserFile('cifar10'),
  cifar100: () => loadUserFile('cifar100'),
  idx: () => loadUserFile('idx'),
  // Kept as the folder's files: decoded and resized to the run's imageSize and imageChannels.
  images: (onProgress, source) => loadUserFile('images', source?.image, onProgress),
};

const host = createEngineHost({
  runtime: 'browser',
  selectBackend: selectBrowserBackend,
  onBackendLost,
  loadDataset: (name, onProgress, source) => LOADERS[name](onProgress, source),
  rateMemory: indexedDbRateMemory,
  userData: { open: openUserFiles, list: listUserFiles, remove: removeUserFile },
});

const api: WorkerApi = {
  ...host,
  init: (options) => {
    dataUrl = options.dataUrl;
  },
  ping: () => true,
};

expose(api);

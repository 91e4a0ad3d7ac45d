/**
 * Web Worker entry: exposes the engine host over Comlink. Thin by design.
 * Must not import React, zustand, src/state or src/ui, and never touches the DOM.
 */
import { expose } from 'comlink';
import { fetchMnist } from '../data/fetch-mnist';
import { syntheticDataset } from '../data/synthetic';
import { onBackendLost, selectBrowserBackend } from './browser-backend';
import { createEngineHost } from './engine-host';
import type { WorkerApi } from './protocol';

let dataUrl: string | null = null;

const host = createEngineHost({
  runtime: 'browser',
  selectBackend: selectBrowserBackend,
  onBackendLost,
  loadDataset: async (name, onProgress) => {
    if (name === 'synthetic') return syntheticDataset();
    if (!dataUrl) throw new Error('The engine was not told where its data lives (init).');
    return fetchMnist(dataUrl, ({ loadedBytes, totalBytes }) =>
      onProgress(totalBytes > 0 ? loadedBytes / totalBytes : null),
    );
  },
});

const api: WorkerApi = {
  ...host,
  init: (options) => {
    dataUrl = options.dataUrl;
  },
};

expose(api);

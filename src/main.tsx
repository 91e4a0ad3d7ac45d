/** App entry: starts the engine worker, builds the store, renders. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './state/store';
import { indexedDbArchive } from './state/run-archive';
import { bindLocation } from './state/url-sync';
import { App } from './ui/App';
import { StoreProvider } from './ui/store-context';
import { registerServiceWorker } from './sw/register';
import { createWorkerClient } from './worker/engine-client';
import './ui/app.css';

// Offline copy and cross-origin isolation on any static host (src/sw/service-worker.ts).
registerServiceWorker();

const store = createAppStore(
  createWorkerClient(new URL('data/mnist/', document.baseURI).toString()),
  undefined,
  [],
  indexedDbArchive(),
);
// The page link in the hash sets the settings, the view, the guided experiment and a shared
// run, exactly as a link pasted into the open page would; what it cannot say falls back.
const opening = store.getState().openLink(window.location.hash);
bindLocation(store, window);
void opening.then((sharedRun) => {
  // A shared run opens in the main view; its banner renders in the next frame.
  if (sharedRun)
    requestAnimationFrame(() => document.getElementById('opened-run')?.scrollIntoView());
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

/** App entry: starts the engine worker, builds the store, renders. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './state/store';
import { App } from './ui/App';
import { StoreProvider } from './ui/store-context';
import { createWorkerClient } from './worker/engine-client';
import './ui/app.css';

const store = createAppStore(
  createWorkerClient(new URL('data/mnist/', document.baseURI).toString()),
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { wasmThreadsPlugin } from './build/wasm-threads-plugin';

// Cross-origin isolation (SharedArrayBuffer) lets the WASM backend train on several threads.
// Static hosts that cannot send these headers get them from coi-serviceworker (index.html).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The app is static: any host serving dist/ works. MNIST is served from public/data/ (made by
// scripts/prepare-data.mjs), the WASM binaries are emitted as assets, the engine runs in a
// module worker.
export default defineConfig({
  base: './',
  plugins: [react(), wasmThreadsPlugin()],
  worker: { format: 'es', plugins: () => [wasmThreadsPlugin()] },
  server: { host: '127.0.0.1', port: 5173, strictPort: false, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, headers: isolation },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // bench.html: the training benchmark page that `npm run bench` drives.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
});

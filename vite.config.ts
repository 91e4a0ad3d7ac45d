import { existsSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { wasmThreadsPlugin } from './build/wasm-threads-plugin';

// Cross-origin isolation (SharedArrayBuffer) lets the WASM backend train on several threads.
// The dev and preview servers send these headers; on a static host that cannot, the service
// worker (src/sw/service-worker.ts) adds them.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The app is static: any host serving dist/ works. MNIST is served from public/data/ (made by
// scripts/prepare-data.mjs), the WASM binaries are emitted as assets, the engine runs in a
// module worker.
export default defineConfig({
  base: './',
  // Whether this build has Fashion-MNIST (the default data set) built in: src/core/built-in.ts.
  // PRUNING_LAB_FASHION_MNIST=0 builds as if it had not been there (e2e/without-fashion-mnist).
  define: {
    __FASHION_MNIST_BUILT_IN__: JSON.stringify(
      process.env.PRUNING_LAB_FASHION_MNIST !== '0' &&
        existsSync('public/data/fashion-mnist/train-images-idx3-ubyte.gz'),
    ),
  },
  plugins: [
    react(),
    wasmThreadsPlugin(),
    // One service worker: precaches the app and the MNIST files (offline after one visit) and
    // adds the isolation headers. Registered by src/sw/register.ts; not in the dev server.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'service-worker.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,wasm,svg,gz}'],
        // The benchmark page is for `npm run bench`, not for a lecture hall.
        globIgnores: ['bench.html', 'assets/bench-*'],
        // train-images is 9.9 MB gzipped.
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
      },
    }),
  ],
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

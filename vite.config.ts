import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app is static: any host serving dist/ works. MNIST is served from public/data/ (made by
// scripts/prepare-data.mjs), the WASM binaries are emitted as assets, the engine runs in a
// module worker.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});

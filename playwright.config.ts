import { defineConfig } from '@playwright/test';

/** Debian's Chromium (browser downloads are not possible here); override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];
// Not vite preview's 4173 nor the dev server's 5173, so either may run beside the tests;
// `npm test` passes a free port.
const port = Number(process.env.E2E_PORT ?? 4273);

export default defineConfig({
  testDir: 'e2e',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    acceptDownloads: true,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The production build, served the way a static host would serve it.
    command: `node scripts/prepare-data.mjs && npx vite build && npx vite preview --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    // A server already on the port is used only when asked for, and then only if it serves
    // this checkout's current build (e2e/server-check.ts); else a busy port is an error.
    reuseExistingServer: process.env.E2E_REUSE_SERVER === '1',
    timeout: 240_000,
  },
  globalSetup: './e2e/server-check.ts',
});

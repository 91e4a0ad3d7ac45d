/// <reference lib="webworker" />
/**
 * The app's one service worker (built by vite-plugin-pwa from this file; its precache list is
 * injected at build time). It
 * - precaches the whole app and its data (the MNIST files under data/mnist/), revisioned, so
 *   after one visit the lab opens and trains with no network, and a new build downloads only
 *   the files that changed;
 * - adds the cross-origin isolation headers to every response it gives (precached or from the
 *   network), so the page stays isolated on a static host that sends none, offline too.
 * Registered by src/sw/register.ts. Imports nothing from the app but isolation.ts.
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { setDefaultHandler } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import { withIsolation } from './isolation';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

const isolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withIsolation(response),
};

addPlugins([isolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Everything else (bench.html, a file added after this build) straight from the network.
setDefaultHandler(new NetworkOnly({ plugins: [isolation] }));

// Take over at once, as coi-serviceworker did: the page reloads once when it was not isolated.
void self.skipWaiting();
clientsClaim();

/**
 * Registers the service worker (src/sw/service-worker.ts, `service-worker.js` in the build) and reloads the
 * page once when the worker has just taken control of a page that is not cross-origin isolated
 * (a static host without the COOP/COEP headers: the reload gets them from the worker). Not in
 * the dev server, which sends the headers itself and serves fresh modules.
 */
const RELOADED = 'pruning-lab:isolation-reload';

/** Reloads, once per tab session: a host whose pages cannot be isolated must not loop. */
function reloadOnce(): void {
  if (sessionStorage.getItem(RELOADED)) return;
  sessionStorage.setItem(RELOADED, '1');
  window.location.reload();
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const { serviceWorker } = navigator;
  serviceWorker.addEventListener('controllerchange', () => {
    if (!window.crossOriginIsolated) reloadOnce();
  });
  serviceWorker.register('./service-worker.js', { scope: './' }).then(
    (registration) => {
      // Active but not in control (a hard reload bypasses it): reload into it, as above.
      if (registration.active && !serviceWorker.controller && !window.crossOriginIsolated) {
        reloadOnce();
      }
    },
    (error: unknown) => console.warn('Pruning Lab: no service worker (no offline copy):', error),
  );
}

/**
 * Keeps the page's URL and the page in step: every change of the settings, the view or the
 * guided experiment replaces the hash with the page link (no history entry per keystroke), and
 * a link pasted into the address bar of an open page (a hashchange) is opened like a fresh one,
 * lock, classroom mode and guided experiment included.
 */
import { encodePageLink } from './page-link';
import type { AppStore } from './store';

/** The parts of `window` this needs (a fake in tests). */
export interface LocationHost {
  location: { hash: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

/** Starts syncing; returns the function that stops it. */
export function bindLocation(store: AppStore, host: LocationHost): () => void {
  let written = host.location.hash.replace(/^#/, '');
  const write = () => {
    const { config, view, preset } = store.getState();
    const hash = encodePageLink({ config, view, preset: preset?.id ?? null });
    if (hash === written) return;
    written = hash;
    host.history.replaceState(null, '', `#${hash}`);
  };
  write();
  const unsubscribe = store.subscribe((state, previous) => {
    if (
      state.config !== previous.config ||
      state.view !== previous.view ||
      state.preset?.id !== previous.preset?.id
    ) {
      write();
    }
  });
  const onHashChange = () => {
    const hash = host.location.hash.replace(/^#/, '');
    if (hash === written) return;
    written = hash;
    void store.getState().openLink(hash);
  };
  host.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    host.removeEventListener('hashchange', onHashChange);
  };
}

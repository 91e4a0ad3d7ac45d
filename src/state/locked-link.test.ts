import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { SHORTCUTS } from '../ui/help/shortcuts';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { availability } from './selectors';
import { createAppStore, type AppStore } from './store';
import { bindLocation, type LocationHost } from './url-sync';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** A lecturer's link: two cycles on the synthetic data, locked, for the projector. */
const LOCKED =
  '#v=2&dataset=synthetic&model=lenet300&denseEpochs=1&targetSparsity=0.75&cycles=1&batchSize=64' +
  '&backend=cpu&classroom=1&lock=1&preset=global-vs-uniform';

function fakeWindow(hash: string) {
  const listeners = new Set<() => void>();
  const host: LocationHost = {
    location: { hash },
    history: { replaceState: (_data, _unused, url) => (host.location.hash = url) },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  };
  const navigate = (to: string) => {
    host.location.hash = to;
    listeners.forEach((l) => l());
  };
  return { host, navigate };
}

function expectLocked(store: AppStore, hash: string) {
  const state = store.getState();
  expect(state.view).toEqual({ classroom: true, hide: [], lock: true });
  expect(state.preset).toMatchObject({ id: 'global-vs-uniform', running: false });
  expect(state.config).toMatchObject({ dataset: 'synthetic', cycles: 1, backend: 'cpu' });
  expect(availability(state).editConfig).toBe(false);
  for (const part of ['cycles=1', 'classroom=1', 'lock=1', 'preset=global-vs-uniform']) {
    expect(hash).toContain(part);
  }
}

/** A store as the locked link opens it (built directly: each fix is tested on its own). */
function lockedStore() {
  const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }), [], undefined, {
    classroom: true,
    hide: [],
    lock: true,
  });
  store.getState().choosePreset('global-vs-uniform', { by: 'link' });
  return store;
}

/** Results of a run with other settings than the locked ones (seed 99). */
async function otherResults() {
  const other = createAppStore(testClient(), tinyConfig({ cycles: 1, seed: 99 }));
  await other.getState().run('runAll');
  return other.getState().results!;
}

describe('a locked link', () => {
  it('pasted into an open page keeps its lock, classroom mode and guided experiment', async () => {
    const store = createAppStore(testClient(), tinyConfig());
    const win = fakeWindow('#v=1&cycles=4');
    bindLocation(store, win.host);
    win.navigate(LOCKED);
    await flush();
    expectLocked(store, win.host.location.hash);
    // The address bar holds the link as it was given (nothing in it was dropped).
    expect(win.host.location.hash).toBe(LOCKED);
  });

  it('opened in a fresh page is the same page', async () => {
    const store = createAppStore(testClient());
    const opened = store.getState().openLink(LOCKED);
    const win = fakeWindow(LOCKED);
    bindLocation(store, win.host);
    await opened;
    expectLocked(store, win.host.location.hash);
    await vi.waitFor(() => expect(store.getState().busy).toBeNull()); // the model is built
    // A link without the flags then opens an unlocked page, as a fresh page would; one of
    // version 1 is written back in the current version (its model, the default then, named).
    win.navigate('#v=1&dataset=synthetic&backend=cpu&cycles=3');
    expect(store.getState().view.lock).toBe(false);
    expect(store.getState().preset).toBeNull();
    expect(win.host.location.hash).toBe(
      '#v=2&dataset=synthetic&model=lenet300&cycles=3&backend=cpu',
    );
  });

  it('refuses another guided experiment, with a plain message', async () => {
    const store = lockedStore();
    const before = store.getState().config;
    store.getState().choosePreset('ft-vs-slr');
    expect(store.getState().preset?.id).toBe('global-vs-uniform');
    store.getState().choosePreset(null);
    expect(store.getState().preset?.id).toBe('global-vs-uniform');
    expect(store.getState().config).toBe(before);
    expect(store.getState().presetNotice).toMatch(/^The lecturer's link locks these settings/);
  });

  it('runs its own guided experiment over the lecturer settings, and keeps them', async () => {
    const store = lockedStore();
    const before = store.getState().config;
    await store.getState().runPreset();
    await flush();
    expect(store.getState().preset).toMatchObject({ done: 2, running: false });
    const pinned = store
      .getState()
      .runs.filter((r) => r.pinned)
      .map((r) => r.results.config);
    expect(pinned.map((c) => c.criterion).sort()).toEqual(['global', 'uniform']);
    // The preset's own settings, over the lecturer's (one cycle of the synthetic data).
    expect(pinned.every((c) => c.targetSparsity === 0.98 && c.cycles === 1)).toBe(true);
    expect(pinned.every((c) => c.dataset === 'synthetic')).toBe(true);
    expect(store.getState().config).toBe(before);
  });

  it('keeps its settings through Re-run, Resume, import and shared runs', async () => {
    const store = lockedStore();
    const before = store.getState().config;
    const results = await otherResults();
    store.getState().importResultsFile('other.json', JSON.stringify(results));
    expect(store.getState().runsNotice?.kind).toBe('info');
    const imported = store.getState().runs[0]!;
    expect(imported.results.config.seed).toBe(99);
    await store.getState().rerun(imported.id);
    expect(store.getState().config).toBe(before);
    expect(store.getState().runsNotice).toEqual({
      kind: 'error',
      message: expect.stringMatching(/^The lecturer's link locks these settings, so Re-run/),
    });
    await store.getState().continueRun(imported.id);
    expect(store.getState().config).toBe(before);
    expect(store.getState().busy).toBeNull();
    const { encodeResults } = await import('./results-link');
    expect(await store.getState().openSharedRun(await encodeResults(results))).not.toBeNull();
    expect(store.getState().config).toBe(before);
  });

  it('keeps its settings through the keyboard shortcuts', async () => {
    const store = lockedStore();
    const before = store.getState().config;
    for (const shortcut of SHORTCUTS) {
      shortcut.act(store.getState());
      await flush();
    }
    await store.getState().run('runAll');
    expect(store.getState().config).toBe(before);
  });

  it('refuses setConfig and loadConfig from anyone but a link or its own experiment', async () => {
    const store = lockedStore();
    const before = store.getState().config;
    store.getState().setConfig({ seed: 5 });
    expect(store.getState().loadConfig(tinyConfig({ seed: 6 }))).toBe(false);
    expect(store.getState().config).toBe(before);
  });
});

describe('the settings fields', () => {
  it('are written by the config slice alone (the others call loadConfig)', () => {
    const dir = new URL('.', import.meta.url);
    const owned = /[{,]\s*(config|configDirty|invalidFields)\s*[:,}]/;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name === 'config-slice.ts') {
        continue;
      }
      const text = readFileSync(new URL(name, dir), 'utf8');
      // Each set({ ... }) call's object, up to its closing parenthesis.
      for (const call of text.matchAll(/\bset\(\{[\s\S]*?\}\);/g)) {
        expect(call[0], `${name}: ${call[0]}`).not.toMatch(owned);
      }
    }
  });
});

describe('a page link with a shared run', () => {
  it('opens the run beside the settings, also pasted into an open page', async () => {
    const results = await otherResults();
    const { encodeResults } = await import('./results-link');
    const data = await encodeResults(results);
    const store = createAppStore(testClient(), tinyConfig());
    const run = await store
      .getState()
      .openLink(`#v=1&dataset=synthetic&backend=cpu&results=${data}`);
    expect(run).toMatchObject({ source: 'shared link', pinned: true });
    expect(store.getState().runs[0]?.results).toEqual(results);
  });
});

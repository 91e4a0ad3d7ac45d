import { describe, expect, it } from 'vitest';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { createAppStore } from './store';
import type { ExperimentConfig } from '../schema/config';
import { encodePageLink } from './page-link';
import { bindLocation, type LocationHost } from './url-sync';
import { DEFAULT_VIEW } from './view';

const encodeConfig = (config: ExperimentConfig) =>
  encodePageLink({ config, view: DEFAULT_VIEW, preset: null });

function fakeWindow(hash: string) {
  const listeners = new Set<() => void>();
  const writes: string[] = [];
  const host: LocationHost = {
    location: { hash },
    history: {
      replaceState: (_data, _unused, url) => {
        writes.push(url);
        host.location.hash = url;
      },
    },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  };
  const navigate = (to: string) => {
    host.location.hash = to;
    listeners.forEach((l) => l());
  };
  return { host, writes, navigate, listeners };
}

describe('URL sync', () => {
  it('writes the share link on every settings change, without history entries', () => {
    const config = tinyConfig();
    const store = createAppStore(testClient(), config);
    const win = fakeWindow('');
    const stop = bindLocation(store, win.host);
    expect(win.writes).toEqual([`#${encodeConfig(config)}`]);
    store.getState().setConfig({ cycles: 7 });
    expect(win.writes.at(-1)).toBe(`#${encodeConfig({ ...config, cycles: 7 })}`);
    expect(win.writes.at(-1)).toContain('cycles=7');
    store.getState().setFieldValid('cycles', false); // not a config change: no write
    expect(win.writes).toHaveLength(2);
    stop();
    expect(win.listeners.size).toBe(0);
  });

  it('opens a link pasted into an open page, naming what it ignored', async () => {
    const store = createAppStore(testClient(), tinyConfig());
    const win = fakeWindow('');
    bindLocation(store, win.host);
    win.navigate('#v=1&dataset=synthetic&model=lenet5&cycles=2&colour=red&backend=cpu');
    expect(store.getState().config).toMatchObject({ model: 'lenet5', cycles: 2 });
    expect(store.getState().linkNotice).toEqual(['colour (not a setting)']);
    store.getState().dismissLinkNotice();
    expect(store.getState().linkNotice).toEqual([]);
  });

  it('does not replace the settings of a run in progress', async () => {
    const store = createAppStore(testClient(), tinyConfig());
    await store.getState().run('trainDense');
    const before = store.getState().config;
    store.getState().openLink('#v=1&cycles=9');
    expect(store.getState().config).toBe(before);
    expect(store.getState().linkNotice[0]).toMatch(/not opened over a run in progress/);
  });
});

import { describe, expect, it } from 'vitest';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { PRESETS, presetConfig } from './presets';
import { availability } from './selectors';
import { createAppStore } from './store';
import { decodeConfig } from './url-codec';
import { DEFAULT_VIEW, decodeView, encodeView } from './view';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('classroom flags in the link', () => {
  it('read classroom, hidden controls, lock and preset; the settings part ignores them', () => {
    const hash = '#v=1&cycles=2&classroom=1&hide=lr,seed,nonsense&lock=1&preset=ft-vs-slr';
    expect(decodeView(hash)).toEqual({
      view: { classroom: true, hide: ['lr', 'seed'], lock: true },
      preset: 'ft-vs-slr',
      ignored: ['hide nonsense (not a setting)'],
    });
    expect(decodeConfig(hash)).toMatchObject({ ignored: [], config: { cycles: 2 } });
    expect(decodeView('#preset=nope').ignored).toEqual(['preset=nope (no such guided experiment)']);
    expect(decodeView('')).toEqual({ view: DEFAULT_VIEW, preset: null, ignored: [] });
  });

  it('write back what they read', () => {
    const view = { classroom: true, hide: ['lr', 'batchSize'], lock: true };
    const text = encodeView(view, 'rewinding');
    expect(text).toBe('&classroom=1&hide=lr,batchSize&lock=1&preset=rewinding');
    expect(decodeView(`v=1${text}`)).toEqual({ view, preset: 'rewinding', ignored: [] });
    expect(encodeView(DEFAULT_VIEW, null)).toBe('');
  });
});

describe('guided experiments', () => {
  it('every preset names valid runs that differ in what the question is about', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      'global-vs-uniform',
      'ft-vs-slr',
      'retrain-epochs',
      'imp-vs-one-shot',
      'rewinding',
      'random-control',
    ]);
    for (const preset of PRESETS) {
      const configs = preset.runs.map((r) => presetConfig(r.settings));
      expect(new Set(configs.map((c) => JSON.stringify(c))).size, preset.id).toBe(configs.length);
      expect(preset.predict.length).toBeGreaterThan(10);
      expect(preset.lookFor.length).toBeGreaterThan(40);
    }
  });

  it('run each of its runs in turn and pin exactly those for comparison', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }));
    await store.getState().run('runAll'); // an earlier run, pinned
    await flush();
    store.getState().togglePin(store.getState().runs[0]!.id);
    store.getState().choosePreset('global-vs-uniform');
    await store.getState().runPreset(tinyConfig({ cycles: 1 }));
    await flush();
    expect(store.getState().preset).toEqual({ id: 'global-vs-uniform', done: 2, running: false });
    const pinned = store.getState().runs.filter((r) => r.pinned);
    expect(pinned.map((r) => r.results.config.criterion).sort()).toEqual(['global', 'uniform']);
    expect(pinned.every((r) => r.results.config.targetSparsity === 0.98)).toBe(true);
    expect(store.getState().runs).toHaveLength(3);
  });
});

describe('locked settings', () => {
  it('keep the settings fixed but let the run go', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }), [], undefined, {
      ...DEFAULT_VIEW,
      lock: true,
    });
    expect(availability(store.getState()).editConfig).toBe(false);
    await store.getState().run('runAll');
    expect(store.getState().status?.done).toBe(true);
  });
});

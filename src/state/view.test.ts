import { describe, expect, it } from 'vitest';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { PRESETS, presetConfig } from './presets';
import { availability } from './selectors';
import { createAppStore } from './store';
import { DEFAULT_VIEW } from './view';

const flush = () => new Promise((r) => setTimeout(r, 0));

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
    const pinned = store.getState().runs.filter((r) => r.pinned);
    // The experiment's runs, in its order (global, then uniform), recorded for its outcome.
    const [global, uniform] = ['global', 'uniform'].map(
      (c) => pinned.find((r) => r.results.config.criterion === c)?.id,
    );
    expect(store.getState().preset).toEqual({
      id: 'global-vs-uniform',
      done: 2,
      running: false,
      quick: false,
      seeds: 1,
      runIds: [global, uniform],
    });
    expect(pinned.map((r) => r.results.config.criterion).sort()).toEqual(['global', 'uniform']);
    expect(pinned.every((r) => r.results.config.targetSparsity === 0.98)).toBe(true);
    expect(store.getState().runs).toHaveLength(3);
  });

  it('run every one of its runs with three seeds when asked, one saved run each', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }));
    store.getState().choosePreset('random-control');
    store.getState().setPresetSeeds(3);
    await store.getState().runPreset(tinyConfig({ cycles: 1 }));
    await flush();
    const { preset, runs } = store.getState();
    expect(preset).toMatchObject({ id: 'random-control', done: 2, running: false, seeds: 3 });
    expect(runs).toHaveLength(2);
    for (const { results } of runs) {
      expect(results.config.repeats).toBe(3);
      // The first seed's run, then seed + 1 and seed + 2, each trained to the end.
      expect([results, ...results.repeats!].map((r) => r.config.seed)).toEqual([
        results.config.seed,
        results.config.seed + 1,
        results.config.seed + 2,
      ]);
      expect(results.repeats!.every((r) => r.cycles.length === 1)).toBe(true);
    }
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

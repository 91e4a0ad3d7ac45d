import { describe, expect, it } from 'vitest';
import { testClient } from '../test/in-process';
import { tinyConfig } from '../test/fixtures';
import {
  accuracyVsSparsity,
  availability,
  epochCurve,
  layerSparsityRows,
  lrScheduleView,
} from './selectors';
import { createAppStore } from './store';

describe('app store over an in-process engine', () => {
  it('configures, then steps through dense, prune, retrain and the rest, with derived series', async () => {
    const store = createAppStore(testClient(), tinyConfig());
    await store.getState().configure();
    let s = store.getState();
    expect(s.backend?.backend).toBe('cpu');
    expect(s.status).toEqual({ stage: 'untrained', cycle: 0, cycles: 2, done: false });
    expect(lrScheduleView(s)).toMatchObject({ cycle: 0, preview: true, iterations: 16 });
    expect(availability(s)).toMatchObject({
      trainDense: true,
      prune: false,
      retrain: false,
      editConfig: true,
    });

    await s.run('trainDense');
    s = store.getState();
    expect(s.status?.stage).toBe('trained');
    expect(availability(s)).toMatchObject({
      trainDense: false,
      prune: true,
      retrain: false,
      editConfig: false,
    });
    expect(accuracyVsSparsity(s.results, true)).toHaveLength(1);

    await s.run('prune');
    s = store.getState();
    expect(availability(s)).toMatchObject({ prune: false, retrain: true });
    expect(accuracyVsSparsity(s.results, true)[1]).toMatchObject({ sparsity: 50 });
    expect(layerSparsityRows(s.results).map((r) => r.cycle)).toEqual(['dense', 'cycle 1']);

    await s.run('retrain');
    await store.getState().run('stepCycle');
    s = store.getState();
    expect(s.status?.done).toBe(true);
    expect(s.busy).toBeNull();
    // The chart shows the rates the last retraining used, as recorded.
    expect(lrScheduleView(s)).toMatchObject({ cycle: 2, preview: false, iterations: 16 });
    expect(lrScheduleView(s)!.points.map((p) => p.lr)).toEqual(s.results!.cycles[1]!.lrSchedule);
    const points = accuracyVsSparsity(s.results, true);
    expect(points.map((p) => p.sparsity)).toEqual([0, 50, 75]);
    expect(points.every((p) => p.afterRetrain !== undefined)).toBe(true);
    expect(epochCurve(s.results).map((p) => p.label)).toEqual(['dense 1', 'c1 e1', 'c2 e1']);
    expect(availability(s)).toMatchObject({
      stepCycle: false,
      runAll: false,
      reset: true,
      download: true,
    });

    await s.reset();
    s = store.getState();
    expect(s.status?.stage).toBe('untrained');
    expect(s.results?.cycles).toEqual([]);
    expect(availability(s).editConfig).toBe(true);
  });

  it('shows engine errors as name and message, and loses nothing', async () => {
    const store = createAppStore(testClient(), tinyConfig({ dataset: 'mnist' }));
    await store.getState().run('runAll');
    expect(store.getState().error).toEqual({
      name: 'Error',
      message: 'test client has only synthetic data, not mnist',
    });
    store.getState().setConfig({ dataset: 'synthetic' });
    expect(store.getState().configDirty).toBe(true);
    await store.getState().run('trainDense');
    expect(store.getState().error).toBeNull();
    expect(store.getState().status?.stage).toBe('trained');
  });

  it('falls back with a message when the backend device is lost mid-run', async () => {
    let lose: (reason: string) => void = () => {};
    let selections = 0;
    const store = createAppStore(
      testClient({
        onBackendLost: (listener) => {
          lose = listener;
        },
        // The first pick plays the GPU, later picks the fallback; both compute on the CPU.
        selectBackend: async ({ setting }) => {
          selections += 1;
          const backend = selections === 1 ? 'webgpu' : 'wasm';
          return { backend, setting, reason: `test pick ${selections}` };
        },
        abortTimeoutMs: 500,
      }),
      tinyConfig({ denseEpochs: 20, batchSize: 16 }),
    );
    await store.getState().configure();
    expect(store.getState().backend?.backend).toBe('webgpu');
    const running = store.getState().run('trainDense');
    while (!store.getState().progress) await new Promise((r) => setTimeout(r, 5));
    lose('GPU reset by the driver');
    await running;
    await new Promise((r) => setTimeout(r, 50));
    const s = store.getState();
    expect(s.error?.name).toBe('BackendLost');
    expect(s.error?.message).toBe(
      'The webgpu device was lost (GPU reset by the driver). The engine switched to wasm and ' +
        'the run was reset; press Run all to start again.',
    );
    expect(s.backend?.backend).toBe('wasm');
    expect(s.status?.stage).toBe('untrained');
    expect(s.busy).toBeNull();
    // And the engine works on: settings are editable again and a new (short) run completes.
    s.setConfig({ denseEpochs: 1 });
    await store.getState().run('trainDense');
    expect(store.getState().status?.stage).toBe('trained');
  });

  it('pauses and resumes a running command, and reset stops it', async () => {
    const store = createAppStore(testClient(), tinyConfig({ denseEpochs: 20, batchSize: 16 }));
    await store.getState().configure();
    const running = store.getState().run('trainDense');
    while (!store.getState().progress) await new Promise((r) => setTimeout(r, 5));
    store.getState().pause();
    expect(store.getState().paused).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    const frozen = store.getState().progress?.iteration;
    await new Promise((r) => setTimeout(r, 200));
    expect(store.getState().progress?.iteration).toBe(frozen);
    store.getState().resume();
    expect(store.getState().paused).toBe(false);
    await store.getState().reset();
    await running;
    const s = store.getState();
    expect(s.error).toBeNull(); // an abort by reset is not an error
    expect(s.status?.stage).toBe('untrained');
    expect(s.busy).toBeNull();
  });
});

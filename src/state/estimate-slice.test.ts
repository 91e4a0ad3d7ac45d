import { describe, expect, it } from 'vitest';
import { remainingWork, workSeconds } from '../core/run-estimate';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import type { TrainingRate } from '../worker/protocol';
import { inMemoryRateMemory } from '../worker/training-rate';
import { rateKey, runAllEstimate, runShape, timeLeft } from './estimate-slice';
import { createAppStore } from './store';

const until = async (ok: () => boolean, ms = 60_000) => {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const rate = (model: TrainingRate['model'], batch: number, samplesPerSecond: number) => ({
  backend: 'cpu',
  threads: 1,
  model,
  batch,
  samplesPerSecond,
  measuredAt: '2026-01-01T00:00:00.000Z',
  remembered: false,
});

describe('the time estimate in the store', () => {
  it('measures the rate once the engine is idle and estimates Run all from it', async () => {
    const memory = inMemoryRateMemory();
    const store = createAppStore(testClient({ rateMemory: memory }), tinyConfig());
    expect(runAllEstimate(store.getState())?.text).toBe('estimating…');
    await store.getState().configure();
    await until(() => Object.keys(store.getState().trainingRates).length > 0);
    const s = store.getState();
    const measured = s.trainingRates[rateKey(s.backend!, 'lenet300', 64)]!;
    expect(measured.samplesPerSecond).toBeGreaterThan(0);
    // Synthetic, batch 64: 16 iterations an epoch; 1 dense epoch + 2 cycles of 1.
    const work = remainingWork(runShape(s.config), { stage: 'untrained', cycle: 0 });
    const estimate = runAllEstimate(s)!;
    expect(estimate.seconds).toBeCloseTo(workSeconds(work, 64, measured.samplesPerSecond), 9);
    expect(estimate.text).toMatch(/^about \d/);
    expect(estimate.warning).toBeNull();
    expect(measured.remembered).toBe(false);

    // The next page load in this browser (a new engine, the same memory) reads it back.
    const again = createAppStore(testClient({ rateMemory: memory }), tinyConfig());
    await again.getState().configure();
    await until(() => Object.keys(again.getState().trainingRates).length > 0);
    const remembered = Object.values(again.getState().trainingRates)[0]!;
    expect(remembered).toMatchObject({
      remembered: true,
      samplesPerSecond: measured.samplesPerSecond,
    });
  });

  it('names quicker choices when a run would be long', async () => {
    const store = createAppStore(testClient(), tinyConfig({ dataset: 'mnist', model: 'conv4' }));
    store.setState({
      backend: { backend: 'cpu', setting: 'cpu', reason: 'test', threads: 1 },
      trainingRates: {
        [rateKey({ backend: 'cpu', threads: 1 }, 'conv4', 64)]: rate('conv4', 64, 80),
      },
    });
    const estimate = runAllEstimate(store.getState())!;
    // 937 iterations an epoch at 80 images/s: 3 epochs of training alone are 37 minutes.
    expect(estimate.seconds!).toBeGreaterThan(3 * 937 * 0.8);
    expect(estimate.warning).toBe('long: try LeNet-5 or the synthetic data set');
  });

  it('counts the images of a set of your own as this browser keeps it (images: any size)', () => {
    const config = tinyConfig({ dataset: 'images', cycles: 1, retrainEpochs: 0 });
    const store = createAppStore(testClient(), config);
    const kept = { id: 'images' as const, label: 'Your images', fileName: 'shapes.zip' };
    store.setState({
      backend: { backend: 'cpu', setting: 'cpu', reason: 'test', threads: 1 },
      trainingRates: {
        [rateKey({ backend: 'cpu', threads: 1 }, 'lenet300', 64)]: rate('lenet300', 64, 640),
      },
      userData: [{ ...kept, fileBytes: 1, storedBytes: 1, train: 6400, test: 640, savedAt: 0 }],
    });
    const work = remainingWork(runShape(config, { train: 6400, test: 640 }), {
      stage: 'untrained',
      cycle: 0,
    });
    expect(runShape(config, { train: 6400, test: 640 }).trainCount).toBe(6400);
    expect(runAllEstimate(store.getState())!.seconds).toBeCloseTo(workSeconds(work, 64, 640), 9);
  });

  it('gives the time left during a command from its own pace, and none when idle', async () => {
    const store = createAppStore(
      testClient({ rateMemory: inMemoryRateMemory() }),
      tinyConfig({ denseEpochs: 3 }),
    );
    await store.getState().configure();
    const seen: number[] = [];
    store.subscribe((s) => {
      const left = timeLeft(s);
      if (left !== null) seen.push(left);
    });
    await store.getState().run('trainDense');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((left) => left >= 0 && Number.isFinite(left))).toBe(true);
    expect(timeLeft(store.getState())).toBeNull();
    expect(store.getState().pace).toBeNull();
  });
});

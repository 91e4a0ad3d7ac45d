import { describe, expect, it } from 'vitest';
import { seedRuns } from '../schema/seed-stats';
import { testClient } from '../test/in-process';
import { tinyConfig } from '../test/fixtures';
import { rateKey, runAllEstimate } from './estimate-slice';
import { liveRunId } from './runs-slice';
import { accuracyVsSparsity } from './selectors';
import { createAppStore } from './store';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) =>
  Math.sqrt(xs.reduce((a, v) => a + (v - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('an experiment with repeats in the app', () => {
  it('runs every seed, keeps them in one saved run and charts their mean with bands', async () => {
    const store = createAppStore(testClient(), tinyConfig({ repeats: 3, seed: 5 }));
    const repeatsSeen: string[] = [];
    store.subscribe((s, before) => {
      if (s.repeat && s.repeat !== before.repeat) {
        repeatsSeen.push(`${s.repeat.seed}: ${s.repeat.index + 1} of ${s.repeat.count}`);
      }
    });
    await store.getState().configure();
    // The estimate counts every seed's run: three times one seed's.
    const { backend, config } = store.getState();
    const key = rateKey(backend!, config.model, config.batchSize);
    const rate = {
      backend: backend!.backend,
      threads: backend!.threads ?? 1,
      model: config.model,
      batch: config.batchSize,
      samplesPerSecond: 1000,
      measuredAt: '2026-12-02T00:00:00Z',
      remembered: false,
    };
    store.setState({ trainingRates: { [key]: rate } });
    const three = runAllEstimate(store.getState())!.seconds!;
    store.getState().setConfig({ repeats: 1 });
    const one = runAllEstimate(store.getState())!.seconds!;
    expect(three).toBeCloseTo(3 * one, 6);
    store.getState().setConfig({ repeats: 3 });

    await store.getState().run('runAll');
    const s = store.getState();
    expect(s.error).toBeNull();
    expect(repeatsSeen).toEqual(['5: 1 of 3', '6: 2 of 3', '7: 3 of 3']);
    expect(s.repeat).toBeNull();
    const runs = seedRuns(s.results!);
    expect(runs.map((r) => r.config.seed)).toEqual([5, 6, 7]);
    expect(runs.every((r) => r.cycles.length === 2 && r.cycles[1]!.afterRetrain)).toBe(true);
    // Three different runs, saved as one, under the first seed's id.
    expect(new Set(runs.map((r) => r.dense!.final.testLoss)).size).toBe(3);
    const saved = s.runs.filter((r) => r.source === 'this browser');
    expect(saved).toHaveLength(1);
    expect(saved[0]!.id).toBe(liveRunId(runs[0]!));
    expect(seedRuns(saved[0]!.results).map((r) => r.config.seed)).toEqual([5, 6, 7]);

    // The chart's points: the mean and bands of the three seeds, against a direct computation.
    const points = accuracyVsSparsity(s.results, true);
    expect(points.map((p) => p.n)).toEqual([3, 3, 3]);
    const finals = runs.map((r) => 100 * r.cycles[1]!.afterRetrain!.testAccuracy);
    const last = points[2]!;
    expect(last.afterRetrain).toBeCloseTo(mean(finals), 10);
    expect(last.afterRetrainStd![0]).toBeCloseTo(mean(finals) - std(finals), 10);
    expect(last.afterRetrainStd![1]).toBeCloseTo(mean(finals) + std(finals), 10);
    expect(last.afterRetrainRange).toEqual([Math.min(...finals), Math.max(...finals)]);
    const pruned = runs.map((r) => 100 * r.cycles[0]!.afterPrune.testAccuracy);
    expect(points[1]!.afterPrune).toBeCloseTo(mean(pruned), 10);
    expect(points[1]!.sparsity).toBeCloseTo(50, 10);

    // The next command starts from the settings' own seed again.
    expect(s.configDirty).toBe(true);
    await store.getState().reset();
    expect(store.getState().results!.config.seed).toBe(5);
    expect(store.getState().results!.repeats).toBeUndefined();
  }, 120_000);
});

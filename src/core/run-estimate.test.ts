import { describe, expect, it } from 'vitest';
import {
  denseWork,
  formatDuration,
  pruneWork,
  remainingSeconds,
  remainingWork,
  retrainWork,
  workSeconds,
  type RunShape,
} from './run-estimate';

/** The classroom default: LeNet-300-100 on MNIST, batch 128, 3 dense epochs, 5 cycles of 1. */
const defaults: RunShape = {
  regime: 'imp',
  denseEpochs: 3,
  cycles: 5,
  retrainEpochs: 1,
  batchSize: 128,
  bnRecalibration: false,
  rewind: 'none',
  trainCount: 60000,
  testCount: 10000,
  batchNorm: false,
  recalibrationBatches: 50,
};
// By hand: floor(60000 / 128) = 468 iterations an epoch; a test evaluation of 10,000 images is
// (1/3) · 10000 / 128 = 10000 / 384 = 26.041666... iteration-equivalents.
const evaluation = 10000 / 384;

describe('the work of a run, in iteration-equivalents', () => {
  it('dense, prune and retrain of the classroom default', () => {
    expect(denseWork(defaults)).toBeCloseTo(3 * (468 + evaluation), 9); // 1482.125
    expect(denseWork(defaults)).toBeCloseTo(1482.125, 9);
    expect(pruneWork(defaults)).toBeCloseTo(evaluation, 9);
    expect(retrainWork(defaults)).toBeCloseTo(494.0416667, 6);
  });

  it('Run all from the start: dense + 5 × (prune + retrain) = 4,082.54', () => {
    const all = remainingWork(defaults, { stage: 'untrained', cycle: 0 });
    expect(all).toBeCloseTo(1482.125 + 5 * (evaluation + 468 + evaluation), 9);
    expect(all).toBeCloseTo(4082.5416667, 6);
    // At 15,000 training images a second: 4082.54 · 128 / 15000 = 34.84 s.
    expect(workSeconds(all, 128, 15000)).toBeCloseTo(34.8377, 3);
    expect(formatDuration(workSeconds(all, 128, 15000))).toBe('about 35 s');
  });

  it('what is left after dense training, mid-way and at the end', () => {
    expect(remainingWork(defaults, { stage: 'trained', cycle: 0 })).toBeCloseTo(2600.4166667, 6);
    // Cycle 2 pruned, not retrained: its retraining and 3 more cycles.
    expect(remainingWork(defaults, { stage: 'pruned', cycle: 2 })).toBeCloseTo(
      494.0416667 + 3 * 520.0833333,
      6,
    );
    expect(remainingWork(defaults, { stage: 'retrained', cycle: 5 })).toBe(0);
  });

  it('takes off the iterations and finished epochs of the phase running now', () => {
    // Dense iteration 500 of 1,404: 500 iterations and 1 epoch's evaluation done.
    const dense = { phase: 'dense', cycle: 0, iteration: 500, iterations: 1404 } as const;
    expect(remainingWork(defaults, { stage: 'untrained', cycle: 0 }, dense)).toBeCloseTo(
      4082.5416667 - 500 - evaluation,
      6,
    );
    // Retraining of cycle 2 at iteration 100: 1954.29 left.
    const retrain = { phase: 'retrain', cycle: 2, iteration: 100, iterations: 468 } as const;
    expect(remainingWork(defaults, { stage: 'pruned', cycle: 2 }, retrain)).toBeCloseTo(
      1954.2916667,
      6,
    );
    // A prune in progress: nothing of it is counted as done.
    const prune = { phase: 'prune', cycle: 3 } as const;
    expect(remainingWork(defaults, { stage: 'retrained', cycle: 2 }, prune)).toBeCloseTo(
      3 * 520.0833333,
      6,
    );
  });

  it('recalibration and rewinding add their passes to each prune (ResNet with BN)', () => {
    const resnet = { ...defaults, batchNorm: true, bnRecalibration: true, rewind: 'init' };
    // 10,000 after the prune + 50 · 128 recalibration + 10,000 after it + 10,000 after rewinding.
    expect(pruneWork(resnet)).toBeCloseTo(36400 / 384, 9); // 94.79
    // Recalibration is skipped for a model without batch norm.
    expect(pruneWork({ ...resnet, batchNorm: false })).toBeCloseTo(20000 / 384, 9);
  });

  it('GMP is one training run with no cycles', () => {
    const gmp = { ...defaults, regime: 'gmp' } as const;
    expect(remainingWork(gmp, { stage: 'untrained', cycle: 0 })).toBeCloseTo(1482.125, 9);
    expect(remainingWork(gmp, { stage: 'trained', cycle: 0 })).toBe(0);
  });

  it('Conv-4 on MNIST at 12 minutes an epoch: about 1 h 45 min', () => {
    // 468 iterations in 720 s: 128 · 468 / 720 = 83.2 images a second.
    const rate = (128 * 468) / 720;
    const all = remainingWork(defaults, { stage: 'untrained', cycle: 0 });
    // 8 epochs of training (5,760 s) + 13 evaluations (13 · 26.04 · 720 / 468 = 520.8 s).
    expect(workSeconds(all, 128, rate)).toBeCloseTo(8 * 720 + (13 * evaluation * 720) / 468, 6);
    expect(formatDuration(workSeconds(all, 128, rate))).toBe('about 1 h 45 min');
  });
});

describe('remainingSeconds (from the run’s own pace)', () => {
  it('600 left after 400 done in 20 s: 30 s', () => {
    expect(remainingSeconds(1000, 600, 20)).toBe(30);
  });
  it('is null before any work was done', () => {
    expect(remainingSeconds(1000, 1000, 5)).toBeNull();
    expect(remainingSeconds(1000, 900, 0)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [0.2, 'about 1 s'],
    [4.4, 'about 4 s'],
    [34.84, 'about 35 s'],
    [42, 'about 40 s'],
    [61, 'about 1 min'],
    [150, 'about 2 min 30 s'],
    [1500, 'about 25 min'],
    [3449, 'about 57 min'],
    [3500, 'about 1 h'],
    [7200, 'about 2 h'],
    [7800, 'about 2 h 10 min'],
  ])('%s s reads %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import {
  allrStartLr,
  denseLr,
  denseSchedule,
  retrainLr,
  sampleSchedule,
  warmupLength,
} from './lr-schedule';

// Dense: lrMax 0.1 over T_orig = 101 iterations -> W = 10, lrMin = 0.001, and the decay runs
// over t = 10..100 (90 steps).
const dense = denseSchedule(0.1, 101);

describe('dense schedule', () => {
  it('warms up linearly over the first 10%', () => {
    expect(warmupLength(101)).toBe(10);
    expect(denseLr(dense, 0)).toBeCloseTo(0.01, 15);
    expect(denseLr(dense, 4)).toBeCloseTo(0.05, 15);
    expect(denseLr(dense, 9)).toBeCloseTo(0.1, 15);
  });
  it('then decays linearly from lrMax to lrMin = lrMax / 100 at the last iteration', () => {
    expect(dense.lrMin).toBeCloseTo(0.001, 15);
    expect(denseLr(dense, 10)).toBeCloseTo(0.1, 15);
    expect(denseLr(dense, 55)).toBeCloseTo(0.0505, 15); // halfway: (0.1 + 0.001) / 2
    expect(denseLr(dense, 100)).toBeCloseTo(0.001, 15);
  });
});

describe('retraining schedules (T = 50: W = 5, decay over t = 5..49)', () => {
  const T = 50;
  it('FT is constant lrMin', () => {
    const lr = retrainLr('ft', dense, T);
    for (const t of [0, 10, 49]) expect(lr(t)).toBeCloseTo(0.001, 15);
  });

  it('LRW replays the last T iterations of the dense run', () => {
    const lr = retrainLr('lrw', dense, T);
    // t = 0 -> dense(51): 0.1 - 0.099 * 41 / 90
    expect(lr(0)).toBeCloseTo(0.1 - (0.099 * 41) / 90, 15);
    expect(lr(49)).toBeCloseTo(0.001, 15);
    // Longer than the dense run: clamped to its start.
    expect(retrainLr('lrw', dense, 200)(0)).toBeCloseTo(0.01, 15);
  });

  it('CLR warms up, then follows a cosine from lrMax to lrMin', () => {
    const lr = retrainLr('clr', dense, T);
    expect(lr(0)).toBeCloseTo(0.02, 15);
    expect(lr(4)).toBeCloseTo(0.1, 15);
    expect(lr(5)).toBeCloseTo(0.1, 15);
    expect(lr(27)).toBeCloseTo(0.0505, 15); // u = 1/2: cos(pi/2) = 0
    // u = 1/4 at t = 16: lrMin + 0.099 * (1 + cos(pi/4)) / 2
    expect(lr(16)).toBeCloseTo(0.001 + (0.099 * (1 + Math.SQRT1_2)) / 2, 15);
    expect(lr(49)).toBeCloseTo(0.001, 15);
  });

  it('LLR warms up, then decays linearly to 0', () => {
    const lr = retrainLr('llr', dense, T);
    expect(lr(2)).toBeCloseTo(0.06, 15);
    expect(lr(5)).toBeCloseTo(0.1, 15);
    expect(lr(27)).toBeCloseTo(0.05, 15);
    expect(lr(49)).toBe(0);
  });

  it('SLR warms up, then runs the whole dense schedule compressed into the rest', () => {
    const lr = retrainLr('slr', dense, T);
    expect(lr(0)).toBeCloseTo(0.02, 15);
    // t = 5 -> dense(0) = 0.01 (the dense warm-up, compressed)
    expect(lr(5)).toBeCloseTo(0.01, 15);
    // t = 10 -> dense(floor(5/45 * 101)) = dense(11) = 0.1 - 0.099 / 90
    expect(lr(10)).toBeCloseTo(0.1 - 0.099 / 90, 15);
    // t = 49 -> dense(floor(44/45 * 101)) = dense(98) = 0.1 - 0.099 * 88 / 90
    expect(lr(49)).toBeCloseTo(0.1 - (0.099 * 88) / 90, 15);
  });

  it('ALLR starts at clip(d / sqrt(s) * lrMax, min(T / T_orig, 1) * lrMax, lrMax)', () => {
    // d = 0.2, s = 0.36: 0.2 / 0.6 * 0.1 = 0.0333 is below low = 50 / 101 * 0.1 = 0.0495,
    // so the start is clipped up to low.
    expect(allrStartLr(dense, T, { normDrop: 0.2, pruneFraction: 0.36 })).toBeCloseTo(
      (50 / 101) * 0.1,
      15,
    );
    // d = 0.3, s = 0.25: 0.3 / 0.5 * 0.1 = 0.06, inside [0.0495, 0.1].
    expect(allrStartLr(dense, T, { normDrop: 0.3, pruneFraction: 0.25 })).toBeCloseTo(0.06, 15);
    // A large drop is capped at lrMax; retraining longer than the dense run raises low to lrMax.
    expect(allrStartLr(dense, T, { normDrop: 0.9, pruneFraction: 0.25 })).toBe(0.1);
    expect(allrStartLr(dense, 500, { normDrop: 0.01, pruneFraction: 0.5 })).toBe(0.1);
    // Nothing pruned: the lower bound.
    expect(allrStartLr(dense, T, { normDrop: 0, pruneFraction: 0 })).toBeCloseTo(0.0495, 4);

    const lr = retrainLr('allr', dense, T, { normDrop: 0.3, pruneFraction: 0.25 });
    expect(lr(0)).toBeCloseTo(0.012, 15); // warm-up to 0.06 over W = 5
    expect(lr(4)).toBeCloseTo(0.06, 15);
    expect(lr(27)).toBeCloseTo(0.03, 15); // halfway down
    expect(lr(49)).toBe(0);
    // Before any prune (a preview) it shows its upper bound, lrMax.
    expect(retrainLr('allr', dense, T)(5)).toBeCloseTo(0.1, 15);
  });

  it('samples a schedule for charts, always including the last iteration', () => {
    const points = sampleSchedule(retrainLr('llr', dense, T), T, 20);
    expect(points[0]).toEqual({ iteration: 0, lr: 0.02 });
    expect(points.at(-1)).toEqual({ iteration: 49, lr: 0 });
    expect(points.map((p) => p.iteration)).toEqual([
      0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48,
      49,
    ]);
  });
});

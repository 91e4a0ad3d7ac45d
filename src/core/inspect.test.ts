import { describe, expect, it } from 'vitest';
import { globalMagnitudePrune, pruneLayersTo } from './prune-math';
import {
  downsampleMask,
  downsampleMode,
  inputSurvival,
  layerCut,
  logEdges,
  magnitudeHistogram,
  prunedInCycle,
  pruningCycleLabels,
} from './inspect';

/** A deterministic spread of weights in (-1, 1) (no RNG: a fixed linear congruence). */
function weights(n: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648) * 2 - 1;
  });
}

describe('layerCut', () => {
  it('is the largest |w| pruned and the smallest kept; for global magnitude the cut is one line', () => {
    const w = [weights(500, 1), weights(300, 2)];
    const masks = w.map((l) => new Uint8Array(l.length).fill(1));
    const { masks: after } = globalMagnitudePrune(w, masks, 0.6);
    const cuts = w.map((l, i) => layerCut(l, masks[i]!, after[i]!));
    // By hand: the 480th smallest |w| overall (k = round(0.6 * 800)) is the cut.
    const sorted = [...w[0]!, ...w[1]!].map(Math.abs).sort((a, b) => a - b);
    const prunedMax = Math.max(...cuts.map((c) => c.prunedMaxAbs!));
    const keptMin = Math.min(...cuts.map((c) => c.keptMinAbs!));
    expect(prunedMax).toBe(sorted[479]);
    expect(keptMin).toBe(sorted[480]);
  });

  it('ignores weights pruned before; null when nothing is pruned or nothing kept', () => {
    const w = Float32Array.from([0.5, -0.1, 0.3, 0.2]);
    expect(layerCut(w, [1, 1, 1, 1], [1, 1, 1, 1])).toEqual({
      prunedMaxAbs: null,
      keptMinAbs: Math.fround(0.1),
    });
    const c = layerCut(w, [1, 0, 1, 1], [1, 0, 1, 0]);
    expect(c.prunedMaxAbs).toBeCloseTo(0.2, 6);
    expect(c.keptMinAbs).toBeCloseTo(0.3, 6);
    expect(layerCut(w, [1, 1, 1, 1], [0, 0, 0, 0]).keptMinAbs).toBeNull();
  });

  it('per layer for a layer-wise criterion: each layer its own cut', () => {
    const w = [weights(400, 3), weights(400, 4)];
    const masks = w.map((l) => new Uint8Array(l.length).fill(1));
    const { masks: after } = pruneLayersTo(w, masks, [0.25, 0.75]);
    w.forEach((l, i) => {
      const sorted = Array.from(l, Math.abs).sort((a, b) => a - b);
      const k = [100, 300][i]!;
      expect(layerCut(l, masks[i]!, after[i]!)).toEqual({
        prunedMaxAbs: sorted[k - 1],
        keptMinAbs: sorted[k],
      });
    });
  });
});

describe('magnitude histogram on log bins', () => {
  it('has log-spaced edges', () => {
    const e = logEdges(1e-4, 1, 4);
    expect(e).toHaveLength(5);
    [1e-4, 1e-3, 1e-2, 1e-1, 1].forEach((v, i) => expect(e[i]).toBeCloseTo(v, 12));
  });

  it('counts every alive weight exactly once; the bins agree with a direct count', () => {
    const w = weights(5000, 9);
    const mask = Uint8Array.from(w, (_, i) => (i % 3 === 0 ? 0 : 1));
    const edges = logEdges(1e-3, 0.5, 20);
    const { counts, below, above } = magnitudeHistogram(w, mask, edges);
    const alive = mask.reduce((a, b) => a + b, 0);
    expect(counts.reduce((a, b) => a + b, 0) + below + above).toBe(alive);
    counts.forEach((n, k) => {
      const direct = Array.from(w).filter(
        (v, i) =>
          mask[i] &&
          Math.abs(v) >= edges[k]! &&
          (Math.abs(v) < edges[k + 1]! ||
            (k === counts.length - 1 && Math.abs(v) === edges[k + 1])),
      ).length;
      expect(n, `bin ${k}`).toBe(direct);
    });
    expect(above).toBe(Array.from(w).filter((v, i) => mask[i] && Math.abs(v) > 0.5).length);
  });
});

describe('downsampleMask', () => {
  it('averages blocks: a 4x6 mask to 2x3 cells of 2x2', () => {
    // rows: 1 1 0 0 1 0 / 1 1 0 0 0 1 / 0 0 0 0 1 1 / 0 1 0 0 1 1
    const m = [1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1];
    const d = downsampleMask(m, 4, 6, 2, 3);
    expect([d.rows, d.cols]).toEqual([2, 3]);
    expect(Array.from(d.cells)).toEqual([1, 0, 0.5, 0.25, 0, 1]);
  });

  it('keeps a small mask as it is and the overall mean for uneven blocks', () => {
    const m: number[] = Array.from({ length: 35 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    expect(Array.from(downsampleMask(m, 5, 7, 10, 10).cells)).toEqual(m);
    const d = downsampleMask(m, 5, 7, 2, 3);
    // Cell sizes add up to the whole mask, so the size-weighted mean is the mask's mean.
    const rowsOf = [3, 2]; // floor(r * 2 / 5): rows 0-2 -> 0, 3-4 -> 1
    const colsOf = [3, 2, 2]; // floor(c * 3 / 7): cols 0-2 -> 0, 3-4 -> 1, 5-6 -> 2
    let sum = 0;
    d.cells.forEach((v, i) => (sum += v * rowsOf[Math.floor(i / 3)]! * colsOf[i % 3]!));
    expect(sum).toBeCloseTo(
      m.reduce<number>((a, b) => a + b, 0),
      5,
    );
  });
});

describe('inputSurvival and prunedInCycle', () => {
  it('counts the surviving outgoing weights of each input', () => {
    // 3 inputs x 4 units
    const m = [1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0];
    expect(Array.from(inputSurvival(m, 3, 4))).toEqual([4, 0, 2]);
  });

  it('names the cycle that pruned each weight, 0 for survivors', () => {
    const masks = [
      [1, 1, 1, 1],
      [1, 0, 1, 1],
      [1, 0, 0, 1],
      [0, 0, 0, 1],
    ];
    expect(Array.from(prunedInCycle(masks))).toEqual([3, 1, 2, 0]);
  });
});

describe('downsampleMode and pruningCycleLabels', () => {
  it("labels each weight with the listed cycle that pruned it, -1 for survivors, 0 for GMP's", () => {
    // Kept states: dense (0), cycle 2 and cycle 3 (cycle 1's state was not kept).
    const masks = [
      [1, 1, 1, 1, 0],
      [1, 0, 1, 1, 0],
      [1, 0, 0, 1, 0],
    ];
    expect(Array.from(pruningCycleLabels(masks, [0, 2, 3]))).toEqual([-1, 2, 3, -1, 0]);
  });

  it('keeps a small grid as it is and gives each block its most frequent label', () => {
    const labels = Array.from({ length: 12 }, (_, i) => (i % 3) - 1); // 3 x 4
    expect(Array.from(downsampleMode(labels, 3, 4, 8, 8).cells)).toEqual(labels);
    // 4 x 4 into 2 x 2: each 2 x 2 block counted by hand.
    const grid = [
      [-1, -1, 1, 2],
      [-1, 1, 2, 2],
      [1, 1, 3, 3],
      [2, 2, 3, 1],
    ].flat();
    const d = downsampleMode(grid, 4, 4, 2, 2);
    expect(d).toMatchObject({ rows: 2, cols: 2 });
    // Blocks: {-1,-1,-1,1} -> -1; {1,2,2,2} -> 2; {1,1,2,2} tie -> 1; {3,3,3,1} -> 3.
    expect(Array.from(d.cells)).toEqual([-1, 2, 1, 3]);
  });
});

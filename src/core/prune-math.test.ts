import { describe, expect, it } from 'vitest';
import { makeRng } from '../data/rng';
import {
  countAlive,
  globalMagnitudePrune,
  plannedSparsity,
  pruneCount,
  pruneFractionPerCycle,
  roundHalfEven,
} from './prune-math';

const f32 = (...xs: number[]) => Float32Array.from(xs);
const ones = (n: number) => new Uint8Array(n).fill(1);

describe('roundHalfEven (Python round)', () => {
  it('rounds halves to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5].map(roundHalfEven)).toEqual([0, 2, 2, 4, 0, -2]);
  });
  it('rounds everything else to the nearest integer', () => {
    expect([0.49, 0.51, 2.4999, 7.6, 10].map(roundHalfEven)).toEqual([0, 1, 2, 8, 10]);
  });
});

describe('IMP schedule', () => {
  it('prunes p = 1 - (1 - s)^(1/J) per cycle', () => {
    // 90% in 5 cycles: 1 - 0.1^(1/5) = 0.369042655519807...
    expect(pruneFractionPerCycle(0.9, 5)).toBeCloseTo(0.369042655519807, 12);
    // 75% in 2 cycles: half of the survivors each time.
    expect(pruneFractionPerCycle(0.75, 2)).toBeCloseTo(0.5, 15);
    expect(pruneFractionPerCycle(0.6, 1)).toBeCloseTo(0.6, 15);
  });

  it('plans sparsity 1 - (1 - s)^(j/J) after cycle j', () => {
    expect(plannedSparsity(0.75, 2, 1)).toBeCloseTo(0.5, 15);
    expect(plannedSparsity(0.75, 2, 2)).toBeCloseTo(0.75, 15);
    expect(plannedSparsity(0.999, 3, 1)).toBeCloseTo(0.9, 12);
    expect(plannedSparsity(0.999, 3, 2)).toBeCloseTo(0.99, 12);
  });

  it('reaches the planned sparsity after every cycle, up to rounding of k', () => {
    const rng = makeRng(3);
    const sizes = [1000, 333, 47];
    const weights = sizes.map((n) => Float32Array.from({ length: n }, () => rng() * 2 - 1));
    let masks: Uint8Array[] = sizes.map(ones);
    const total = sizes.reduce((a, b) => a + b, 0);
    const p = pruneFractionPerCycle(0.9, 5);
    let alive = total;
    for (let j = 1; j <= 5; j++) {
      const result = globalMagnitudePrune(weights, masks, p);
      expect(result.pruned).toBe(roundHalfEven(p * alive));
      masks = result.masks;
      alive = masks.reduce((a, m) => a + countAlive(m), 0);
      const sparsity = 1 - alive / total;
      // Each cycle's k is off by at most 1/2 from p * alive.
      expect(Math.abs(sparsity - plannedSparsity(0.9, 5, j))).toBeLessThanOrEqual(
        (0.5 * j) / total,
      );
    }
  });

  it('computes k = round(p * alive) with halves to even, like PyTorch', () => {
    expect(pruneCount(0.5, 5)).toBe(2); // 2.5 -> 2
    expect(pruneCount(0.5, 7)).toBe(4); // 3.5 -> 4
    expect(pruneCount(0.3, 10)).toBe(3);
    expect(pruneCount(1, 10)).toBe(10);
    expect(pruneCount(0, 10)).toBe(0);
  });
});

describe('globalMagnitudePrune', () => {
  // Layer A: [0.5, -0.1, 0.3]; layer B: [0.1, 0.2, -0.3, 0.05].
  // |w| ascending with the position rule for ties:
  //   B[3]=0.05, A[1]=0.1 (before B[0]: layer A comes first), B[0]=0.1, B[1]=0.2,
  //   A[2]=0.3 (before B[2]), B[2]=0.3, A[0]=0.5.
  const weights = [f32(0.5, -0.1, 0.3), f32(0.1, 0.2, -0.3, 0.05)];

  it('prunes the k smallest magnitudes across layers (k = 4 of 7 at p = 0.5)', () => {
    const { masks, pruned, aliveBefore } = globalMagnitudePrune(weights, [ones(3), ones(4)], 0.5);
    expect(aliveBefore).toBe(7);
    expect(pruned).toBe(4);
    expect(Array.from(masks[0]!)).toEqual([1, 0, 1]);
    expect(Array.from(masks[1]!)).toEqual([0, 0, 1, 0]);
  });

  it('breaks ties in |w| by layer order, then index', () => {
    // k = round(5/7 * 7) = 5: of the tied 0.3s, A[2] goes before B[2].
    const { masks } = globalMagnitudePrune(weights, [ones(3), ones(4)], 5 / 7);
    expect(Array.from(masks[0]!)).toEqual([1, 0, 0]);
    expect(Array.from(masks[1]!)).toEqual([0, 0, 1, 0]);
    // Within one layer, the lower index goes first.
    const tied = globalMagnitudePrune([f32(0.2, -0.2, 0.2)], [ones(3)], 1 / 3);
    expect(Array.from(tied.masks[0]!)).toEqual([0, 1, 1]);
  });

  it('only counts and ranks weights that are still alive', () => {
    // A[0] (0.5) and B[3] (0.05) already pruned: 5 alive, k = round(0.5 * 5) = 2 (2.5 -> 2).
    const before = [Uint8Array.from([0, 1, 1]), Uint8Array.from([1, 1, 1, 0])];
    const { masks, pruned, aliveBefore } = globalMagnitudePrune(weights, before, 0.5);
    expect(aliveBefore).toBe(5);
    expect(pruned).toBe(2);
    expect(Array.from(masks[0]!)).toEqual([0, 0, 1]);
    expect(Array.from(masks[1]!)).toEqual([0, 1, 1, 0]);
    expect(Array.from(before[0]!)).toEqual([0, 1, 1]); // inputs untouched
  });

  it('agrees with a brute-force reference on random layers', () => {
    const rng = makeRng(11);
    const weights = [50, 20, 9].map((n) =>
      // Quantised values make ties common.
      Float32Array.from({ length: n }, () => Math.round((rng() * 2 - 1) * 8) / 8),
    );
    const masks = weights.map((w) => Uint8Array.from(w, () => (rng() < 0.8 ? 1 : 0)));
    const flat: { mag: number; layer: number; index: number }[] = [];
    weights.forEach((w, layer) =>
      w.forEach((v, index) => {
        if (masks[layer]![index]) flat.push({ mag: Math.abs(v), layer, index });
      }),
    );
    flat.sort((a, b) => a.mag - b.mag || a.layer - b.layer || a.index - b.index);
    const k = roundHalfEven(0.4 * flat.length);
    const expected = masks.map((m) => m.slice());
    for (const e of flat.slice(0, k)) expected[e.layer]![e.index] = 0;
    const { masks: got } = globalMagnitudePrune(weights, masks, 0.4);
    expect(got.map((m) => Array.from(m))).toEqual(expected.map((m) => Array.from(m)));
  });

  it('rejects fractions outside [0, 1] and mismatched shapes', () => {
    expect(() => globalMagnitudePrune(weights, [ones(3), ones(4)], 1.5)).toThrow(/not in \[0, 1\]/);
    expect(() => globalMagnitudePrune(weights, [ones(3), ones(3)], 0.5)).toThrow(/differ in size/);
  });
});

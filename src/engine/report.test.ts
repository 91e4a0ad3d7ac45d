import { describe, expect, it } from 'vitest';
import {
  denseFlops,
  layerReports,
  pruningInstability,
  relativeNormDrop,
  storageBytes,
} from './report';

describe('compression report', () => {
  it('counts forward FLOPs of conv and dense layers (LeNet-5 by hand)', () => {
    // conv1: 5*5*1*6 weights at 28x28 outputs: 2 * 150 * 784 = 235,200
    expect(denseFlops({ name: 'conv1', shape: [5, 5, 1, 6], outputSize: [28, 28] })).toBe(235200);
    // conv2: 2 * 2400 * 10*10 = 480,000; fc1: 2 * 400*120 = 96,000
    expect(denseFlops({ name: 'conv2', shape: [5, 5, 6, 16], outputSize: [10, 10] })).toBe(480000);
    expect(denseFlops({ name: 'fc1', shape: [400, 120], outputSize: [1, 1] })).toBe(96000);
  });

  it('sizes dense, bitmask and CSR storage (fc3 of LeNet-300 with 100 of 1,000 alive)', () => {
    // dense 4000 B; bitmask 125 B + 400 B; CSR 400 B values + 400 B indices + 4*(100+1) B rows.
    expect(storageBytes([100, 10], 100)).toEqual({ dense: 4000, bitmask: 525, csr: 1204 });
  });

  it('measures the relative norm drop and the instability', () => {
    // before (3, 4) -> after (3, 0): ||(0, 4)|| / ||(3, 4)|| = 4/5
    expect(relativeNormDrop([Float32Array.from([3, 4])], [Float32Array.from([3, 0])])).toBeCloseTo(
      0.8,
      12,
    );
    expect(pruningInstability(0.98, 0.49)).toBeCloseTo(0.5, 12);
    expect(pruningInstability(0, 0)).toBe(0);
  });

  it('builds per-layer rows with zeros skipped in proportion to density', () => {
    const [row] = layerReports(
      [{ name: 'fc', shape: [2, 2], outputSize: [1, 1] }],
      [Uint8Array.from([1, 0, 0, 1])],
      [Float32Array.from([1, 1, 1, 1])],
      [Float32Array.from([1, 0, 0, 1])],
    );
    expect(row).toMatchObject({
      size: 4,
      alive: 2,
      flopsDense: 8,
      flopsSparse: 4,
      storageDenseBytes: 16,
    });
    expect(row!.normDrop).toBeCloseTo(Math.SQRT1_2, 12);
  });
});

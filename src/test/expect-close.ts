import { expect } from 'vitest';

/**
 * Every value of `actual` within `tolerance` of `expected`, relative to the largest magnitude in
 * `expected` (at least 1e-6): how float32 results of kernels that sum in another order compare.
 */
export function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-5) {
  expect(actual.length).toBe(expected.length);
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst / scale).toBeLessThan(tolerance);
}

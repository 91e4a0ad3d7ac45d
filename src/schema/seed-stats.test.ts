import { describe, expect, it } from 'vitest';
import { gapVerdict, spread, spreadOf } from './seed-stats';

describe('spread over seeds', () => {
  it('gives the mean, the sample standard deviation (n − 1), the minimum and the maximum', () => {
    // 1, 2, 3, 4: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, 5 / 3.
    const s = spread([3, 1, 4, 2]);
    expect(s).toEqual({ n: 4, mean: 2.5, std: Math.sqrt(5 / 3), min: 1, max: 4 });
    expect(spread([0.9]).std).toBeNull();
    const some = spreadOf([null, 0.5, undefined, 0.7])!;
    expect([some.n, some.min, some.max]).toEqual([2, 0.5, 0.7]);
    expect(some.mean).toBeCloseTo(0.6, 12);
    expect(some.std).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(spreadOf([null])).toBeNull();
  });

  it('says a gap exceeds the spread when the ±1 std bands do not overlap', () => {
    // 0.90 ± 0.01 and 0.93 ± 0.01: gap 0.03 > 0.02.
    const a = spread([0.89, 0.9, 0.91]);
    const b = spread([0.92, 0.93, 0.94]);
    const verdict = gapVerdict(a, b)!;
    expect(verdict.gap).toBeCloseTo(0.03, 12);
    expect(verdict.exceedsSpread).toBe(true);
    // 0.90 ± 0.01 and 0.915 ± 0.01: the bands overlap.
    expect(gapVerdict(a, spread([0.905, 0.915, 0.925]))!.exceedsSpread).toBe(false);
    expect(gapVerdict(b, a)!.gap).toBeCloseTo(-0.03, 12);
    expect(gapVerdict(spread([0.9]), b)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  bandPath,
  categoryBand,
  legendLayout,
  linePath,
  linearScale,
  nearestIndex,
  shownLabels,
  textWidth,
} from './plot-geometry';

/** The numbers of an SVG path, as [x, y] pairs, with its commands. */
const parse = (d: string) =>
  [...d.matchAll(/([MLZ])([-\d.]+)?,?([-\d.]+)?/g)].map((m) =>
    m[1] === 'Z' ? ['Z'] : [m[1], Number(m[2]), Number(m[3])],
  );

describe('plot geometry', () => {
  it('maps a domain linearly onto a range, a y axis running backwards', () => {
    const y = linearScale([80, 100], [300, 8]);
    expect(y(80)).toBe(300);
    expect(y(100)).toBe(8);
    expect(y(90)).toBe(154);
    expect(y(85)).toBeCloseTo(300 - (5 / 20) * 292, 12);
    // A domain of one value puts everything in the middle rather than dividing by zero.
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });

  it('centres each category in its band', () => {
    // Four categories over 400 px from x = 50: bands of 100, centres 100, 200, 300, 400.
    expect([0, 1, 2, 3].map((i) => categoryBand(i, 4, 50, 400).centre)).toEqual([
      100, 200, 300, 400,
    ]);
    expect(categoryBand(0, 4, 50, 400).band).toBe(100);
  });

  it('draws a line through the values, broken at gaps unless told to connect them', () => {
    const pts = [[0, 10], [10, 20], null, [30, 40], [40, 50], null, [60, 70]] as const;
    expect(parse(linePath(pts))).toEqual([
      ['M', 0, 10],
      ['L', 10, 20],
      ['M', 30, 40],
      ['L', 40, 50],
    ]);
    expect(parse(linePath(pts, true)).map((c) => c[0])).toEqual(['M', 'L', 'L', 'L', 'L']);
    expect(parse(linePath(pts, true)).at(-1)).toEqual(['L', 60, 70]);
    expect(linePath([[1, 2]])).toBe('');
  });

  it('closes a band along its upper edge and back along its lower one', () => {
    const d = bandPath([
      { x: 0, low: 10, high: 5 },
      null,
      { x: 20, low: 12, high: 4 },
      { x: 40, low: 14, high: 3 },
    ]);
    expect(parse(d)).toEqual([
      ['M', 0, 5],
      ['L', 20, 4],
      ['L', 40, 3],
      ['L', 40, 14],
      ['L', 20, 12],
      ['L', 0, 10],
      ['Z'],
    ]);
    expect(bandPath([{ x: 0, low: 1, high: 2 }])).toBe('');
  });

  it('shows every category label that fits, else every k-th and the last when it has room', () => {
    const labels = Array.from({ length: 10 }, (_, i) => `cycle ${i}`);
    const wide = textWidth('cycle 0', 15) + 6;
    expect(shownLabels(labels, wide + 1, 15).every(Boolean)).toBe(true);
    // Bands a third of a label wide: every third label, starting with the first.
    const third = shownLabels(labels, wide / 3, 15);
    expect(third.map((s, i) => (s ? i : -1)).filter((i) => i >= 0)).toEqual([0, 3, 6, 9]);
    // Every fourth: 0, 4, 8; the last (9) is one band after 8, too close to show.
    const fourth = shownLabels(labels, wide / 4, 15);
    expect(fourth.map((s, i) => (s ? i : -1)).filter((i) => i >= 0)).toEqual([0, 4, 8]);
    // Twelve labels every fourth: the last (11) is three bands past 8, short of a label: no.
    const twelve = shownLabels([...labels, 'cycle A', 'cycle B'], wide / 4, 15);
    expect(twelve.map((s, i) => (s ? i : -1)).filter((i) => i >= 0)).toEqual([0, 4, 8]);
  });

  it('wraps the legend into centred rows that fit the width', () => {
    const names = ['after prune', 'after retrain', 'GMP, end of each epoch'];
    const font = 14;
    const w = names.map((n) => 14 + 4 + textWidth(n, font));
    // Wide: one row, centred.
    const one = legendLayout(names, 1000, font);
    expect(one.rows).toBe(1);
    const total = w[0]! + w[1]! + w[2]! + 2 * 18;
    expect(one.places[0]!.x).toBeCloseTo((1000 - total) / 2, 9);
    expect(one.places[1]!.x).toBeCloseTo((1000 - total) / 2 + w[0]! + 18, 9);
    // Just too narrow for all three: the third wraps to a row of its own, centred.
    const two = legendLayout(names, total - 1, font);
    expect(two.rows).toBe(2);
    expect(two.places.map((p) => p.row)).toEqual([0, 0, 1]);
    expect(two.places[2]!.x).toBeCloseTo((total - 1 - w[2]!) / 2, 9);
    for (const [i, p] of two.places.entries()) expect(p.x + w[i]!).toBeLessThanOrEqual(total - 1);
    expect(legendLayout([], 100, font).rows).toBe(0);
  });

  it('finds the nearest x', () => {
    expect(nearestIndex([10, 20, 40], 29)).toBe(1);
    expect(nearestIndex([10, 20, 40], 31)).toBe(2);
    expect(nearestIndex([], 5)).toBeNull();
  });
});

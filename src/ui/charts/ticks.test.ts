import { describe, expect, it } from 'vitest';
import { accuracyTicks, formatTick, gutterFor, niceStep, niceTicks, stepDecimals } from './ticks';

describe('round axis ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(3, 5)).toBe(1);
    expect(niceStep(2.8, 5)).toBe(1);
    expect(niceStep(2.4, 5)).toBe(0.5);
    expect(niceStep(0.1, 5)).toBe(0.02);
    expect(niceStep(0.001, 5)).toBe(0.0002);
    expect(niceStep(30.5, 5)).toBe(10);
    expect(niceStep(0.3, 3)).toBe(0.1);
    expect(stepDecimals(0.0002)).toBe(4);
    expect(stepDecimals(0.5)).toBe(1);
    expect(stepDecimals(20)).toBe(0);
  });

  it('gives an accuracy axis of 96.9–98.2% whole-percent ticks, not 96.8% and 98.3%', () => {
    // recharts split [96, 99] into quarters: 96, 96.75, 97.5, 98.25, 99.
    const axis = accuracyTicks([96.9, 97.6, 98.2]);
    expect(axis.ticks).toEqual([95, 96, 97, 98, 99]);
    expect(axis.domain).toEqual([95, 99]);
    expect(axis.decimals).toBe(0);
    for (const t of axis.ticks) expect(Number.isInteger(t)).toBe(true);
  });

  it('keeps accuracy ticks within 0–100% and round for any data', () => {
    expect(accuracyTicks([]).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(accuracyTicks([10, 39]).ticks).toEqual([0, 10, 20, 30, 40]);
    expect(accuracyTicks([99.5, 99.9]).ticks).toEqual([98.5, 99, 99.5, 100]);
    expect(accuracyTicks([0.5, 100]).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    const axis = accuracyTicks([97.51, 98.36]);
    expect(axis.ticks).toEqual([96.5, 97, 97.5, 98, 98.5, 99]);
    expect(axis.decimals).toBe(1);
  });

  it('covers a constant learning rate from 0 in round steps that fit the gutter', () => {
    // FT: 0.001 throughout (recharts drew 0.00075 as "00075" in a 56 px gutter).
    const axis = niceTicks(0, 0.001);
    expect(axis.ticks).toEqual([0, 0.0002, 0.0004, 0.0006, 0.0008, 0.001]);
    const labels = axis.ticks.map((t) => formatTick(t, axis.decimals));
    expect(labels).toEqual(['0', '0.0002', '0.0004', '0.0006', '0.0008', '0.0010']);
    expect(gutterFor(labels, false)).toBeGreaterThanOrEqual(61); // 52.5 px of text, 8 of tick
    expect(gutterFor(labels, true)).toBeGreaterThan(gutterFor(labels, false));
    expect(niceTicks(0, 0.1).ticks).toEqual([0, 0.02, 0.04, 0.06, 0.08, 0.1]);
    expect(niceTicks(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(2.3, 0.1, 4).ticks).toEqual([0, 1, 2, 3]);
  });
});

/** The axes several charts share, as Plot takes them. */
import type { PlotAxis, PlotX } from './Plot';
import { accuracyTicks, formatTick, gutterFor, type AxisTicks } from './ticks';

const percent = (v: number) => `${v}%`;
const QUARTERS = [0, 25, 50, 75, 100];

/**
 * A y axis at `axis`'s round ticks, labelled by `format`, in a gutter as wide as its widest
 * label; a titled axis's gutter also holds the title's line (drawn along its side).
 */
export function ticksAxis(
  axis: Pick<AxisTicks, 'domain' | 'ticks'>,
  format: (v: number) => string,
  classroom: boolean,
  title?: string,
): PlotAxis {
  const titleLine = title ? (classroom ? 22 : 18) : 0;
  return {
    domain: axis.domain,
    ticks: axis.ticks,
    format,
    width: gutterFor(axis.ticks.map(format), classroom, titleLine),
    ...(title ? { title } : {}),
  };
}

/** Sparsity in % from 0 to 100 along x, by quarters; `values`: each datum's sparsity. */
export function sparsityX(values: readonly number[], title = 'sparsity'): PlotX {
  return { kind: 'linear', values, domain: [0, 100], ticks: QUARTERS, format: percent, title };
}

/** A y axis from 0% to 100% by quarters (layer sparsities). */
export function percentAxis(classroom: boolean): PlotAxis {
  return ticksAxis({ domain: [0, 100], ticks: QUARTERS }, percent, classroom);
}

/** A test-accuracy axis in % around `values` (round steps; accuracyTicks). */
export function accuracyAxis(
  values: readonly (number | null | undefined)[],
  classroom: boolean,
  title?: string,
): PlotAxis {
  const y = accuracyTicks(values);
  return ticksAxis(y, (v) => `${formatTick(v, y.decimals)}%`, classroom, title);
}

/** The axes several charts share, as Plot takes them. */
import type { PlotAxis, PlotX } from './Plot';
import { accuracyTicks, formatTick, gutterFor } from './ticks';

const percent = (v: number) => `${v}%`;
const QUARTERS = [0, 25, 50, 75, 100];

/** Sparsity in % from 0 to 100 along x, by quarters; `values`: each datum's sparsity. */
export function sparsityX(values: readonly number[], title = 'sparsity'): PlotX {
  return { kind: 'linear', values, domain: [0, 100], ticks: QUARTERS, format: percent, title };
}

/** A y axis from 0% to 100% by quarters (layer sparsities). */
export function percentAxis(classroom: boolean): PlotAxis {
  return {
    domain: [0, 100],
    ticks: QUARTERS,
    format: percent,
    width: gutterFor(['100%'], classroom),
  };
}

/** A test-accuracy axis in % around `values` (round steps; accuracyTicks). */
export function accuracyAxis(
  values: readonly (number | null | undefined)[],
  classroom: boolean,
): PlotAxis {
  const y = accuracyTicks(values);
  const format = (v: number) => `${formatTick(v, y.decimals)}%`;
  return {
    domain: y.domain,
    ticks: y.ticks,
    format,
    width: gutterFor(y.ticks.map(format), classroom),
  };
}

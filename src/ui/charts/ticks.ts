/**
 * Axis ticks at round values. recharts' own ticks divide the domain into equal parts, so a
 * domain of [96, 99] gets 96.75 and 98.25 (shown as "96.8%", "98.3%"); these ticks are
 * multiples of a round step instead (1, 2 or 5 times a power of ten, as d3's `ticks`).
 */

export interface AxisTicks {
  /** The axis range: the data range widened to whole steps. */
  domain: [number, number];
  /** Every multiple of the step in the domain, its ends included. */
  ticks: number[];
  /** Decimals that show every tick exactly (the step's). */
  decimals: number;
}

/** The smallest round step (1, 2 or 5 × 10^k) that splits `span` into at most `maxIntervals`. */
export function niceStep(span: number, maxIntervals: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, maxIntervals);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    // Compare with a tolerance: 0.3 / 3 is 0.09999999999999999.
    if (m * power >= raw * (1 - 1e-9)) return Number((m * power).toPrecision(12));
  }
  return Number((10 * power).toPrecision(12));
}

/** Decimals of a round step: 0.2 → 1, 0.0005 → 4, 50 → 0. */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Round ticks covering [min, max], at most `maxIntervals` intervals apart (fewer when the
 * round step is larger than needed). A range of one value gets one step around it.
 */
export function niceTicks(min: number, max: number, maxIntervals = 5): AxisTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, maxIntervals);
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) / 10;
    return niceTicks(min - (min === 0 ? 0 : pad), max + pad, maxIntervals);
  }
  const step = niceStep(max - min, maxIntervals);
  const decimals = stepDecimals(step);
  const round = (v: number) => Number(v.toFixed(decimals));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(round(i * step));
  return { domain: [ticks[0]!, ticks.at(-1)!], ticks, decimals };
}

/**
 * An accuracy axis in %: the data with a point of margin below and half a point above, in
 * round steps, within [0, 100]. With no data, 0 to 100 by 20.
 */
export function accuracyTicks(values: readonly (number | null | undefined)[]): AxisTicks {
  const data = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (data.length === 0) return niceTicks(0, 100, 5);
  const low = Math.max(0, Math.min(...data) - 1);
  const high = Math.min(100, Math.max(...data) + 0.5);
  const axis = niceTicks(low, high, 5);
  // Every round step divides 100, so clamping only drops ticks outside [0, 100].
  const ticks = axis.ticks.filter((t) => t >= 0 && t <= 100);
  return { domain: [ticks[0]!, ticks.at(-1)!], ticks, decimals: axis.decimals };
}

/** A tick's label with the axis's decimals; zero as "0". */
export function formatTick(value: number, decimals: number): string {
  return value === 0 ? '0' : value.toFixed(decimals);
}

/** A y-axis gutter that fits its widest tick label (px; classroom mode's labels are larger). */
export function gutterFor(labels: readonly string[], classroom: boolean, extra = 0): number {
  const chars = Math.max(1, ...labels.map((l) => l.length));
  // Measured in Chromium: "0.0002" is 52.5 px wide at the page's 15 px, a little wider in
  // classroom mode's bold; the tick line and its gap take 8 px.
  const perChar = classroom ? 10 : 9;
  return Math.ceil(16 + chars * perChar + extra);
}

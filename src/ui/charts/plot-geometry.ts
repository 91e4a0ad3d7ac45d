/**
 * The geometry of the lab's own charts (`Plot`), as pure functions: scales, the paths of lines
 * and bands, which category labels fit, and the legend's rows. Kept apart from the drawing so
 * each is tested against a direct computation.
 */

/** A linear map from `domain` onto `range` (either may run backwards, as a y axis does). */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  if (!(Math.abs(span) > 0)) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Where the i-th of `n` categories sits on [left, left + width]: its band's centre and width. */
export function categoryBand(i: number, n: number, left: number, width: number) {
  const band = width / Math.max(1, n);
  return { centre: left + (i + 0.5) * band, band };
}

type Point = readonly [number, number];

/**
 * An SVG path through the points that have a value: one stretch per run of values, or (with
 * `connectNulls`) one stretch over the gaps. A single value gets no line (its dot shows it).
 */
export function linePath(points: readonly (Point | null)[], connectNulls = false): string {
  const runs: Point[][] = [[]];
  for (const p of points) {
    if (p) runs.at(-1)!.push(p);
    else if (!connectNulls && runs.at(-1)!.length > 0) runs.push([]);
  }
  return runs
    .filter((run) => run.length > 1)
    .map((run) => run.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${round(x)},${round(y)}`).join(''))
    .join('');
}

/**
 * The area between two edges (a band around a mean): along the upper edge, back along the
 * lower one, over the points that have both (gaps connected).
 */
export function bandPath(points: readonly ({ x: number; low: number; high: number } | null)[]) {
  const kept = points.filter((p): p is { x: number; low: number; high: number } => p !== null);
  if (kept.length < 2) return '';
  const upper = kept.map((p, k) => `${k === 0 ? 'M' : 'L'}${round(p.x)},${round(p.high)}`);
  const lower = [...kept].reverse().map((p) => `L${round(p.x)},${round(p.low)}`);
  return `${upper.join('')}${lower.join('')}Z`;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** The width in px of a label of `text` at `font` px (an estimate: no layout is read). */
export function textWidth(text: string, font: number): number {
  return text.length * font * 0.55;
}

/**
 * Which of `labels`, one per band of `band` px, are drawn: all when they fit side by side,
 * else every k-th from the first, and the last when it does not collide with the one before.
 */
export function shownLabels(labels: readonly string[], band: number, font: number): boolean[] {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, font))) + 6;
  const every = Math.max(1, Math.ceil(widest / Math.max(1, band)));
  const shown = labels.map((_, i) => i % every === 0);
  const last = labels.length - 1;
  if (last > 0 && !shown[last]) {
    const previous = last - (last % every);
    if ((last - previous) * band >= widest) shown[last] = true;
  }
  return shown;
}

export interface LegendEntry {
  name: string;
}

/** A legend entry's place: its row and the x of its icon. */
export interface LegendPlace {
  x: number;
  row: number;
}

/**
 * The legend's entries in rows centred under the plot, `width` px wide: an icon of `icon` px,
 * a gap, the label, and `spacing` px to the next entry; a row wraps before an entry that would
 * overflow it.
 */
export function legendLayout(
  names: readonly string[],
  width: number,
  font: number,
  icon = 14,
  spacing = 18,
): { places: LegendPlace[]; rows: number } {
  const widths = names.map((n) => icon + 4 + textWidth(n, font));
  const rows: number[][] = [[]];
  let used = 0;
  widths.forEach((w, i) => {
    const row = rows.at(-1)!;
    const needed = row.length === 0 ? w : used + spacing + w;
    if (row.length > 0 && needed > width) {
      rows.push([i]);
      used = w;
    } else {
      row.push(i);
      used = needed;
    }
  });
  const places: LegendPlace[] = new Array(names.length);
  rows.forEach((row, r) => {
    const total = row.reduce((s, i, k) => s + widths[i]! + (k > 0 ? spacing : 0), 0);
    let x = Math.max(0, (width - total) / 2);
    for (const i of row) {
      places[i] = { x, row: r };
      x += widths[i]! + spacing;
    }
  });
  return { places, rows: names.length === 0 ? 0 : rows.length };
}

/** The index of the category or x value nearest to `px`, or null with none. */
export function nearestIndex(xs: readonly number[], px: number): number | null {
  let best: number | null = null;
  let gap = Infinity;
  xs.forEach((x, i) => {
    const d = Math.abs(x - px);
    if (d < gap) {
      gap = d;
      best = i;
    }
  });
  return best;
}

/**
 * Pure drawing helpers of the inspection views: the log axis of |w|, where the cut lines go,
 * colour ramps for masks, and the words for a network state.
 */
import type { CriterionId } from '../../core/criteria/registry';
import { CRITERION_REGISTRY } from '../../core/criteria/registry';
import type { PruneCut, WeightMagnitudes } from '../../worker/protocol';

/** "dense" for state 0, "cycle j" after. */
export const stateName = (cycle: number) => (cycle === 0 ? 'dense' : `cycle ${cycle}`);
/** "after dense training" / "after cycle j". */
export const afterState = (cycle: number) =>
  cycle === 0 ? 'after dense training' : `after cycle ${cycle}`;

/** A criterion's label without its parenthesis: "ERK", "Uniform+", "Global magnitude". */
export const criterionName = (id: CriterionId) =>
  CRITERION_REGISTRY[id].label.replace(/\s*\(.*\)$/, '');

/** A magnitude for a tick or a table: 0.001, 0.02, 1, 1e-6 (no float noise). */
export function formatMagnitude(v: number): string {
  if (!(v > 0)) return '0';
  if (v >= 1e-5 && v < 1e5) return Number(v.toPrecision(3)).toString();
  return v.toExponential(1);
}

/**
 * Ticks of a log axis over [low, high]: every power of ten inside; with fewer than three of
 * those, also 2 and 5 times each power (so a narrow range still gets labels).
 */
export function logTicks(low: number, high: number): number[] {
  if (!(low > 0 && high > low)) return [];
  const from = Math.floor(Math.log10(low));
  const to = Math.ceil(Math.log10(high));
  const decades: number[] = [];
  for (let k = from; k <= to; k++) decades.push(Number((10 ** k).toPrecision(1)));
  const inside = (v: number) => v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9);
  const powers = decades.filter(inside);
  if (powers.length >= 3) return powers;
  return decades
    .flatMap((p) => [p, Number((2 * p).toPrecision(1)), Number((5 * p).toPrecision(1))])
    .filter(inside);
}

/** One cut line in the histograms: across every layer ('all') or in one layer's panel. */
export interface CutLine {
  layer: number | 'all';
  /** The largest |w| the prune removed there: everything up to the line went. */
  value: number;
  which: 'made' | 'next';
  cycle: number;
}

/**
 * The cut lines to draw: for global magnitude (no per-layer overrides) one line across all
 * layers at the largest |w| removed anywhere; for the layer-wise criteria one per layer that
 * lost weights; none for random pruning (its removed and kept magnitudes overlap).
 */
export function cutLines(view: WeightMagnitudes, withOverrides: boolean): CutLine[] {
  if (view.criterion === 'random') return [];
  const lines: CutLine[] = [];
  const add = (cut: PruneCut | null, which: 'made' | 'next') => {
    if (!cut) return;
    const removed = cut.layers.map((l) => l.prunedMaxAbs);
    if (view.criterion === 'global' && !withOverrides) {
      const values = removed.filter((v): v is number => v !== null);
      if (values.length > 0) {
        lines.push({ layer: 'all', value: Math.max(...values), which, cycle: cut.cycle });
      }
      return;
    }
    removed.forEach((value, layer) => {
      if (value !== null) lines.push({ layer, value, which, cycle: cut.cycle });
    });
  };
  add(view.made, 'made');
  add(view.next, 'next');
  return lines;
}

type Rgb = [number, number, number];

const hex = (h: string): Rgb => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
];

export const toHex = ([r, g, b]: Rgb) =>
  `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** Piecewise-linear colour ramp through `stops` for t in [0, 1]. */
function ramp(stops: readonly string[]): (t: number) => Rgb {
  const rgb = stops.map(hex);
  return (t) => {
    const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (rgb.length - 1);
    const i = Math.min(rgb.length - 2, Math.floor(x));
    const f = x - i;
    const a = rgb[i]!;
    const b = rgb[i + 1]!;
    return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
  };
}

/** Share of a cell's weights alive: pale grey (none) to dark blue (all). */
export const aliveColour = ramp(['#eef0f3', '#9ecae1', '#3182bd', '#08306b']);
/** Survivors of an input pixel, 0 to all: viridis (dark purple to yellow). */
export const survivorColour = ramp(['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725']);

/** Colours of a weight's fate: alive blue; pruned in cycle 1..J from light orange to dark red. */
export const ALIVE_COLOUR = '#0072b2';
export const BEFORE_CYCLES_COLOUR = '#8c8c8c';
const pruneRamp = ramp(['#fdc086', '#e66101', '#7f0000']);
export function fateColour(label: number, lastCycle: number): Rgb {
  if (label < 0) return hex(ALIVE_COLOUR);
  if (label === 0) return hex(BEFORE_CYCLES_COLOUR);
  return pruneRamp(lastCycle <= 1 ? 0.5 : (label - 1) / (lastCycle - 1));
}

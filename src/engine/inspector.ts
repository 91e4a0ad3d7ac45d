/**
 * Looks inside a network state (the weights and masks after dense training or after a cycle)
 * without touching the run: a network of its own, built for the same model and data, loaded
 * with the state. It answers what the inspection views ask, as compact summaries (histogram
 * bins, downsampled masks, per-layer rates, accuracies), never whole tensors:
 *  - weightHistograms: |w| of the surviving weights per layer on shared log bins;
 *  - masks: each layer's mask averaged to a small grid, the cycle that pruned each cell's
 *    weights, and for an MLP's first layer the survivors per input pixel;
 *  - criterionPreview: what every criterion (and the user's overrides) would do at the next
 *    prune, and the test accuracy right after it, with no retraining;
 *  - sensitivity: each layer pruned alone to a list of sparsities, accuracy after each, with
 *    global magnitude at the same overall sparsity for reference (Distiller's analysis).
 */
import type { ImageDataset } from '../data/dataset';
import { deriveSeed, makeRng } from '../data/rng';
import { CRITERION_IDS, CRITERION_REGISTRY, type CriterionId } from '../core/criteria/registry';
import {
  downsampleMask,
  downsampleMode,
  inputSurvival,
  logEdges,
  magnitudeHistogram,
} from '../core/inspect';
import { pruneWithOverrides } from '../core/overrides';
import { lampScores } from '../core/criteria/lamp';
import {
  countAlive,
  globalMagnitudePrune,
  globalPruneCount,
  plannedSparsity,
  pruneFractionPerCycle,
  pruneLayersTo,
} from '../core/prune-math';
import type { ExperimentConfig } from '../schema/config';
import { buildModel } from './models';
import { PrunableNet } from './prunable-net';
import type { RunControl } from './run-control';
import { evaluate } from './train';

/** A network state: every model weight (PrunableNet.snapshot order) and the kernels' masks. */
export interface NetState {
  weights: readonly Float32Array[];
  masks: readonly Uint8Array[];
}

export interface WeightHistograms {
  /** Shared bin edges of |w| (log-spaced), bins + 1 numbers. */
  edges: number[];
  layers: { name: string; alive: number; counts: number[]; below: number; above: number }[];
}

/** LAMP scores of the surviving weights per layer on shared log bins, and LAMP's next cut. */
export interface LampHistograms extends WeightHistograms {
  /** The largest score LAMP's prune `cycle` removes on this state, null if it removes none. */
  cut: number | null;
  cycle: number;
}

export interface MaskSummary {
  name: string;
  /** [kh, kw, cin, cout] or [in, out]. */
  shape: number[];
  /** The grid the mask was averaged to: rows × cols cells, fraction alive, row-major. */
  rows: number;
  cols: number;
  cells: number[];
  /** How rows and columns of the kernel map to the grid, in words. */
  layout: string;
  /**
   * Per cell, its weights' most frequent fate: -1 alive, j pruned in cycle j (0: before any
   * cycle, as GMP does). Present when the masks of earlier states were given.
   */
  prunedIn?: number[];
}

/**
 * How a kernel is laid out as a 2-D grid: a dense [in, out] as is; a conv [kh, kw, cin, cout]
 * as (cin · kh) × (cout · kw), kernel (i, o) in block row i, block column o. `arrange` copies
 * per-weight values (kernel order) into that grid, row-major.
 */
function gridOf(shape: readonly number[]): {
  rows: number;
  cols: number;
  layout: string;
  arrange<T extends Uint8Array | Int16Array>(values: T): T;
} {
  if (shape.length === 4) {
    const [kh, kw, cin, cout] = shape as [number, number, number, number];
    const rows = cin * kh;
    const cols = cout * kw;
    return {
      rows,
      cols,
      layout: `input channels × ${kh} rows down, output channels × ${kw} columns across`,
      arrange: (values) => {
        const grid = values.slice() as typeof values;
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++)
                grid[(i * kh + y) * cols + o * kw + x] =
                  values[((y * kw + x) * cin + i) * cout + o]!;
        return grid;
      },
    };
  }
  const [rows, cols] = shape as [number, number];
  return { rows, cols, layout: 'inputs down, units across', arrange: (values) => values };
}

export interface CriterionPreview {
  criterion: CriterionId;
  /** Whether the user's per-layer overrides were applied around the criterion. */
  overrides: boolean;
  /** Per-layer sparsity after the previewed prune, in layer order. */
  layers: number[];
  sparsity: number;
  testAccuracy: number;
}

export interface SensitivityCurve {
  /** The layer pruned alone, or 'global' for global magnitude at the same overall sparsity. */
  layer: string;
  points: { layerSparsity: number; overallSparsity: number; testAccuracy: number }[];
}

/** The smallest and largest non-zero |w| of the alive weights of `kernels` ([∞, 0] if none). */
export function magnitudeRange(
  kernels: readonly ArrayLike<number>[],
  masks: readonly ArrayLike<number>[],
): [number, number] {
  let low = Infinity;
  let high = 0;
  kernels.forEach((w, l) => {
    const mask = masks[l]!;
    for (let i = 0; i < w.length; i++) {
      const a = Math.abs(w[i]!);
      if (mask[i] && a > 0) {
        if (a < low) low = a;
        if (a > high) high = a;
      }
    }
  });
  return [low, high];
}

/** Sparsities of Distiller's sensitivity analysis (the list). */
export const SENSITIVITY_LEVELS = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99] as const;

export class Inspector {
  readonly net: PrunableNet;

  constructor(
    readonly config: ExperimentConfig,
    readonly data: ImageDataset,
  ) {
    this.net = new PrunableNet(
      buildModel(config.model, config.seed, data.imageShape, data.numClasses),
    );
  }

  dispose(): void {
    this.net.dispose();
  }

  private load(state: NetState, masks: readonly Uint8Array[] = state.masks): void {
    this.net.setMasks(masks);
    this.net.restore(state.weights);
  }

  /** The kernels' values in `state`, in the net's kernel order. */
  kernelsOf(state: NetState): Float32Array[] {
    // The kernels' places among the model's weights, in the net's kernel order.
    const all = this.net.model.weights.map((w) => w.read());
    return this.net.kernels.map((k) => state.weights[all.indexOf(k.variable)]!);
  }

  /**
   * |w| of the surviving weights per layer, on `bins` log bins shared by all layers: from
   * `range` when given (so several states share an axis), else from the smallest to the
   * largest non-zero alive |w|.
   */
  weightHistograms(
    state: NetState,
    bins = 40,
    range?: readonly [number, number],
  ): WeightHistograms {
    const kernels = this.kernelsOf(state);
    let [low, high] = range ?? magnitudeRange(kernels, state.masks);
    if (!(high > low && low > 0)) {
      low = 1e-6;
      high = 1;
    }
    const edges = logEdges(low, high, bins);
    return {
      edges,
      layers: kernels.map((w, l) => ({
        name: this.net.kernels[l]!.name,
        alive: countAlive(state.masks[l]!),
        ...magnitudeHistogram(w, state.masks[l]!, edges),
      })),
    };
  }

  /**
   * LAMP's view of the same weights: per layer the histogram of the LAMP scores of the
   * surviving weights (score(u) = w_u² / Σ_{v ≥ u} w_v², sorted by w² within the layer; the
   * largest weight of every layer scores 1) on log bins from `decades` below 1 up to 1, and
   * the cut of LAMP's prune `cycle` on this state: the largest score it removes, the k-th
   * smallest over all layers with k = round(p · alive) (null when it removes none). A layer
   * whose weights are all alike scores high, so LAMP takes less from it than one global
   * |w| cut would.
   */
  lampHistograms(state: NetState, cycle: number, bins = 40, decades = 6): LampHistograms {
    const { targetSparsity, cycles } = this.config;
    const fraction = pruneFractionPerCycle(targetSparsity, cycles);
    const kernels = this.kernelsOf(state);
    const scores = kernels.map((w, l) => lampScores(w, state.masks[l]!));
    const edges = logEdges(10 ** -decades, 1, bins);
    const layers = scores.map((score, l) => ({
      name: this.net.kernels[l]!.name,
      alive: countAlive(state.masks[l]!),
      ...magnitudeHistogram(score, state.masks[l]!, edges),
    }));
    const k = cycle <= cycles ? globalPruneCount(state.masks, fraction) : 0;
    let cut: number | null = null;
    if (k > 0) {
      const alive: number[] = [];
      scores.forEach((score, l) => {
        const mask = state.masks[l]!;
        for (let i = 0; i < score.length; i++) if (mask[i]) alive.push(score[i]!);
      });
      alive.sort((a, b) => a - b);
      cut = alive[Math.min(k, alive.length) - 1] ?? null;
    }
    return { edges, layers, cut, cycle };
  }

  /**
   * Each layer's mask averaged to at most maxRows × maxCols cells. A dense kernel [in, out] is
   * drawn inputs down, units across; a conv kernel [kh, kw, cin, cout] as (cin · kh) rows by
   * (cout · kw) columns, one kh × kw cell per (input, output) channel pair before averaging.
   * With `labels` (per layer and weight: -1 alive, j the cycle that pruned it; see
   * core/inspect.ts pruningCycleLabels), each cell also gets its most frequent label.
   */
  masks(
    state: NetState,
    maxRows = 64,
    maxCols = 96,
    labels?: readonly Int16Array[],
  ): MaskSummary[] {
    return this.net.kernels.map((k, l) => {
      const { rows, cols, layout, arrange } = gridOf(k.shape);
      const d = downsampleMask(arrange(state.masks[l]!), rows, cols, maxRows, maxCols);
      const factor = `each cell averages ${Math.ceil(rows / d.rows)} × ${Math.ceil(cols / d.cols)}`;
      const layerLabels = labels?.[l];
      return {
        name: k.name,
        shape: k.shape,
        rows: d.rows,
        cols: d.cols,
        cells: Array.from(d.cells),
        layout: d.rows < rows || d.cols < cols ? `${layout}; ${factor}` : layout,
        ...(layerLabels && {
          prunedIn: Array.from(
            downsampleMode(arrange(layerLabels), rows, cols, maxRows, maxCols).cells,
          ),
        }),
      };
    });
  }

  /** For an MLP's first dense layer: surviving outgoing weights per input pixel, or null. */
  inputSurvival(state: NetState): { shape: [number, number, number]; counts: number[] } | null {
    const first = this.net.kernels[0]!;
    if (first.shape.length !== 2) return null;
    const [h, w, c] = this.data.imageShape;
    if (first.shape[0] !== h * w * c) return null;
    const counts = inputSurvival(state.masks[0]!, first.shape[0]!, first.shape[1]!);
    return { shape: [h, w, c], counts: Array.from(counts) };
  }

  /**
   * What each criterion (and, when the config has overrides, the criterion with them) would
   * do at prune `cycle` (1-based, of the config's J; past J it goes on at the same rate) to
   * this state, and the test accuracy right after, with no retraining. The random criterion
   * draws from a stream of its own, so the run's numbers do not change.
   */
  async criterionPreview(state: NetState, cycle: number): Promise<CriterionPreview[]> {
    const { targetSparsity, cycles, layerOverrides } = this.config;
    const fraction = pruneFractionPerCycle(targetSparsity, cycles);
    const planned = plannedSparsity(targetSparsity, cycles, cycle);
    const kernels = this.kernelsOf(state);
    const names = this.net.kernels.map((k) => k.name);
    const shapes = this.net.kernels.map((k) => k.shape);
    const withOverrides = Object.keys(layerOverrides).length > 0;
    const out: CriterionPreview[] = [];
    for (const criterion of CRITERION_IDS) {
      for (const overrides of withOverrides ? [false, true] : [false]) {
        const { masks } = pruneWithOverrides(
          CRITERION_REGISTRY[criterion],
          {
            weights: kernels,
            masks: state.masks,
            shapes,
            fraction,
            targetSparsity: planned,
            rng: makeRng(deriveSeed(this.config.seed, 'criterion-preview')),
          },
          { names, overrides: overrides ? layerOverrides : {}, cycle, cycles },
        );
        this.load(state, masks);
        const { testAccuracy } = await evaluate(this.net, this.data);
        const layers = masks.map((m) => 1 - countAlive(m) / m.length);
        const total = masks.reduce((a, m) => a + m.length, 0);
        const alive = masks.reduce((a, m) => a + countAlive(m), 0);
        out.push({ criterion, overrides, layers, sparsity: 1 - alive / total, testAccuracy });
      }
    }
    return out;
  }

  /**
   * Prunes each layer alone to each of `levels` (smallest |w| first, the other layers as they
   * are) and measures test accuracy; then global magnitude to the same overall sparsities as
   * the layer-alone points of the largest layer, for reference. `onProgress(done, total)`;
   * `control` (checked between evaluations) cancels.
   */
  async sensitivity(
    state: NetState,
    levels: readonly number[] = SENSITIVITY_LEVELS,
    onProgress?: (done: number, total: number) => void,
    control?: RunControl,
  ): Promise<SensitivityCurve[]> {
    const kernels = this.kernelsOf(state);
    const total = kernels.reduce((a, w) => a + w.length, 0);
    const overall = (masks: readonly Uint8Array[]) =>
      1 - masks.reduce((a, m) => a + countAlive(m), 0) / total;
    const steps = (kernels.length + 1) * levels.length;
    let done = 0;
    const curves: SensitivityCurve[] = [];
    for (let l = 0; l < kernels.length; l++) {
      const points: SensitivityCurve['points'] = [];
      for (const level of levels) {
        await control?.checkpoint();
        const { masks: layerMask } = pruneLayersTo([kernels[l]!], [state.masks[l]!], [level]);
        const masks = state.masks.map((m, i) => (i === l ? layerMask[0]! : m));
        this.load(state, masks);
        const { testAccuracy } = await evaluate(this.net, this.data);
        points.push({
          layerSparsity: 1 - countAlive(masks[l]!) / masks[l]!.length,
          overallSparsity: overall(masks),
          testAccuracy,
        });
        onProgress?.(++done, steps);
      }
      curves.push({ layer: this.net.kernels[l]!.name, points });
    }
    // Global magnitude at the overall sparsities the largest layer reached alone.
    const largest = kernels.reduce(
      (best, w, l) => (w.length > kernels[best]!.length ? l : best),
      0,
    );
    const points: SensitivityCurve['points'] = [];
    const aliveNow = state.masks.reduce((a, m) => a + countAlive(m), 0);
    for (const p of curves[largest]!.points) {
      await control?.checkpoint();
      const targetAlive = Math.round((1 - p.overallSparsity) * total);
      const fraction = aliveNow > 0 ? Math.max(0, 1 - targetAlive / aliveNow) : 0;
      const { masks } = globalMagnitudePrune(kernels, state.masks, fraction);
      this.load(state, masks);
      const { testAccuracy } = await evaluate(this.net, this.data);
      points.push({ layerSparsity: overall(masks), overallSparsity: overall(masks), testAccuracy });
      onProgress?.(++done, steps);
    }
    curves.push({ layer: 'global', points });
    return curves;
  }
}

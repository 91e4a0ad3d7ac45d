/**
 * What the inspection views draw, as pure functions on plain arrays: where a prune cut each
 * layer, histograms of |w| on a log axis, masks downsampled to the screen, how many outgoing
 * weights each input pixel keeps, and in which cycle each weight was pruned. Each is small
 * enough to send from the worker instead of the tensors it summarises.
 */

/** The cut of one prune in one layer: the largest |w| it removed and the smallest it kept. */
export interface LayerCut {
  /** max |w| over the weights this prune removed; null when it removed none. */
  prunedMaxAbs: number | null;
  /** min |w| over the weights alive after this prune; null when none is left. */
  keptMinAbs: number | null;
}

/**
 * The cut a prune made in a layer: `before` are the weights the prune saw, `maskBefore` and
 * `maskAfter` the layer's masks before and after it (1 = alive). For a magnitude criterion
 * prunedMaxAbs ≤ keptMinAbs within the layer (global magnitude: across all layers).
 */
export function layerCut(
  before: ArrayLike<number>,
  maskBefore: ArrayLike<number>,
  maskAfter: ArrayLike<number>,
): LayerCut {
  let prunedMaxAbs: number | null = null;
  let keptMinAbs: number | null = null;
  for (let i = 0; i < before.length; i++) {
    const a = Math.abs(before[i]!);
    if (maskAfter[i]) keptMinAbs = keptMinAbs === null ? a : Math.min(keptMinAbs, a);
    else if (maskBefore[i]) prunedMaxAbs = prunedMaxAbs === null ? a : Math.max(prunedMaxAbs, a);
  }
  return { prunedMaxAbs, keptMinAbs };
}

/**
 * `bins` + 1 edges spaced evenly in log10 from `low` to `high` (both > 0): edge k is
 * 10^(log10 low + k (log10 high − log10 low) / bins).
 */
export function logEdges(low: number, high: number, bins: number): number[] {
  if (!(low > 0 && high > low && bins >= 1)) {
    throw new Error(`log bins need 0 < low < high and bins >= 1 (got ${low}, ${high}, ${bins})`);
  }
  const a = Math.log10(low);
  const step = (Math.log10(high) - a) / bins;
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? high : 10 ** (a + k * step)));
}

/**
 * Counts of |w| of the alive weights per bin of `edges` (bin k holds edges[k] ≤ |w| <
 * edges[k + 1], the last bin also |w| = its top edge). Weights below the first edge (zeros
 * included) count in `below`, above the last in `above`, so every alive weight is counted once:
 * sum(counts) + below + above = alive.
 */
export function magnitudeHistogram(
  weights: ArrayLike<number>,
  mask: ArrayLike<number>,
  edges: readonly number[],
): { counts: number[]; below: number; above: number } {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  let below = 0;
  let above = 0;
  const low = edges[0]!;
  const high = edges[bins]!;
  for (let i = 0; i < weights.length; i++) {
    if (!mask[i]) continue;
    const a = Math.abs(weights[i]!);
    if (a < low) below++;
    else if (a > high) above++;
    else {
      // Binary search for the last edge ≤ a.
      let lo = 0;
      let hi = bins;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (edges[mid]! <= a) lo = mid;
        else hi = mid;
      }
      counts[lo]!++;
    }
  }
  return { counts, below, above };
}

/**
 * A rows × cols 0/1 mask averaged over blocks to at most maxRows × maxCols cells: cell (r, c)
 * is the fraction of alive entries in rows [floor(r R / r'), floor((r + 1) R / r')) and the same
 * for columns, r' = min(R, maxRows). Returns the cells row-major and the grid's size.
 */
export function downsampleMask(
  mask: ArrayLike<number>,
  rows: number,
  cols: number,
  maxRows: number,
  maxCols: number,
): { cells: Float32Array; rows: number; cols: number } {
  if (mask.length !== rows * cols) throw new Error('mask size is not rows x cols');
  const outRows = Math.max(1, Math.min(rows, maxRows));
  const outCols = Math.max(1, Math.min(cols, maxCols));
  const sums = new Float64Array(outRows * outCols);
  const sizes = new Float64Array(outRows * outCols);
  for (let r = 0; r < rows; r++) {
    const br = Math.floor((r * outRows) / rows);
    for (let c = 0; c < cols; c++) {
      const cell = br * outCols + Math.floor((c * outCols) / cols);
      sums[cell]! += mask[r * cols + c]!;
      sizes[cell]!++;
    }
  }
  const cells = Float32Array.from(sums, (s, i) => s / sizes[i]!);
  return { cells, rows: outRows, cols: outCols };
}

/**
 * For the first dense layer of an MLP (kernel [inputs, units], row-major: row i holds input i's
 * outgoing weights), the number of surviving outgoing weights of every input: an image of the
 * input's shape when inputs = h × w × c.
 */
export function inputSurvival(mask: ArrayLike<number>, inputs: number, units: number): Uint32Array {
  if (mask.length !== inputs * units) throw new Error('mask size is not inputs x units');
  const out = new Uint32Array(inputs);
  for (let i = 0; i < inputs; i++) {
    let n = 0;
    for (let u = 0; u < units; u++) n += mask[i * units + u]!;
    out[i] = n;
  }
  return out;
}

/**
 * The cycle in which each weight was pruned, from a layer's masks after each cycle (masks[0]
 * after dense training, masks[j] after cycle j): 0 for a weight still alive after the last,
 * else the first j whose mask has it 0.
 */
export function prunedInCycle(masks: readonly ArrayLike<number>[]): Uint8Array {
  const size = masks[0]?.length ?? 0;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < masks.length; j++) {
      if (!masks[j]![i]) {
        out[i] = j;
        break;
      }
    }
  }
  return out;
}

/**
 * A rows × cols grid of small integer labels (e.g. -1 alive, j pruned in cycle j) reduced to at
 * most maxRows × maxCols cells over the same blocks as downsampleMask: each cell holds its
 * block's most frequent label (a tie goes to the smaller label).
 */
export function downsampleMode(
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  maxRows: number,
  maxCols: number,
): { cells: Int16Array; rows: number; cols: number } {
  if (labels.length !== rows * cols) throw new Error('labels size is not rows x cols');
  const outRows = Math.max(1, Math.min(rows, maxRows));
  const outCols = Math.max(1, Math.min(cols, maxCols));
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < labels.length; i++) {
    low = Math.min(low, labels[i]!);
    high = Math.max(high, labels[i]!);
  }
  const span = labels.length > 0 ? high - low + 1 : 1;
  const counts = new Uint32Array(outRows * outCols * span);
  for (let r = 0; r < rows; r++) {
    const br = Math.floor((r * outRows) / rows);
    for (let c = 0; c < cols; c++) {
      const cell = br * outCols + Math.floor((c * outCols) / cols);
      counts[cell * span + labels[r * cols + c]! - low]!++;
    }
  }
  const cells = new Int16Array(outRows * outCols);
  for (let cell = 0; cell < cells.length; cell++) {
    let best = 0;
    for (let v = 1; v < span; v++) {
      if (counts[cell * span + v]! > counts[cell * span + best]!) best = v;
    }
    cells[cell] = best + low;
  }
  return { cells, rows: outRows, cols: outCols };
}

/**
 * Per weight, the cycle that pruned it, from a layer's masks at kept states (`cycles[k]` the
 * state of `masks[k]`, ascending; 0 = after dense training): -1 for a weight alive in the last
 * mask, else the first listed cycle whose mask has it 0 (0 when it was already pruned after
 * dense training, as under GMP).
 */
export function pruningCycleLabels(
  masks: readonly ArrayLike<number>[],
  cycles: readonly number[],
): Int16Array {
  const size = masks[0]?.length ?? 0;
  const out = new Int16Array(size).fill(-1);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < masks.length; k++) {
      if (!masks[k]![i]) {
        out[i] = cycles[k]!;
        break;
      }
    }
  }
  return out;
}

/**
 * Pure pruning arithmetic on plain arrays: the IMP sparsity schedule and the global magnitude
 * criterion. No tfjs here, so every rule can be checked by hand.
 */

/**
 * Python's round(): nearest integer, halves to the even neighbour (2.5 -> 2, 3.5 -> 4).
 * PyTorch's pruning computes k with it, so we do too.
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Fraction of the *remaining* weights pruned in each of `cycles` cycles so that the overall
 * sparsity reaches `target` after the last one: p = 1 - (1 - s)^(1/J).
 */
export function pruneFractionPerCycle(target: number, cycles: number): number {
  return 1 - Math.pow(1 - target, 1 / cycles);
}

/** Planned overall sparsity after cycle j of J: 1 - (1 - s)^(j/J) (before rounding of k). */
export function plannedSparsity(target: number, cycles: number, cycle: number): number {
  return 1 - Math.pow(1 - target, cycle / cycles);
}

/** Number of weights pruned from `alive` survivors at fraction p: k = round(p * alive). */
export function pruneCount(fraction: number, alive: number): number {
  return Math.min(alive, roundHalfEven(fraction * alive));
}

/** k = round(p * alive) over all layers' masks: how many weights a global criterion prunes. */
export function globalPruneCount(masks: readonly Uint8Array[], fraction: number): number {
  return pruneCount(
    fraction,
    masks.reduce((a, m) => a + countAlive(m), 0),
  );
}

/** Count of ones in a 0/1 mask. */
export function countAlive(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

export interface GlobalPruneResult {
  masks: Uint8Array[];
  /** Weights pruned by this call. */
  pruned: number;
  /** Weights alive before this call. */
  aliveBefore: number;
}

/**
 * Prunes the `k` alive weights with the lowest score across all layers (scores[l][i] for
 * weight i of layer l; entries of already-pruned weights are ignored). Ties in score go by
 * position: layer order first, then the row-major index inside the layer. Input masks are not
 * modified.
 */
export function pruneLowestScores(
  scores: readonly ArrayLike<number>[],
  masks: readonly Uint8Array[],
  k: number,
): GlobalPruneResult {
  if (scores.length !== masks.length) throw new Error('weights and masks differ in length');
  const offsets: number[] = [];
  let total = 0;
  scores.forEach((w, l) => {
    if (w.length !== masks[l]!.length)
      throw new Error(`layer ${l}: weights and mask differ in size`);
    offsets.push(total);
    total += w.length;
  });
  const flat = new Float64Array(total);
  const alive: number[] = [];
  scores.forEach((w, l) => {
    const mask = masks[l]!;
    const offset = offsets[l]!;
    for (let i = 0; i < w.length; i++) {
      if (mask[i]) {
        flat[offset + i] = w[i]!;
        alive.push(offset + i);
      }
    }
  });
  const count = Math.min(k, alive.length);
  const order = Uint32Array.from(alive);
  order.sort((a, b) => flat[a]! - flat[b]! || a - b);
  const out = masks.map((m) => m.slice());
  let layer = 0;
  const prunedIndices = Array.from(order.subarray(0, count)).sort((a, b) => a - b);
  for (const g of prunedIndices) {
    while (layer + 1 < offsets.length && g >= offsets[layer + 1]!) layer++;
    out[layer]![g - offsets[layer]!] = 0;
  }
  return { masks: out, pruned: count, aliveBefore: alive.length };
}

/** |w| of every weight, per layer. */
export function magnitudes(weights: readonly Float32Array[]): Float32Array[] {
  return weights.map((w) => w.map(Math.abs));
}

/**
 * Global magnitude pruning, the semantics of PyTorch's
 * `prune.global_unstructured(params, L1Unstructured, amount=p)` on already-masked weights:
 * among the weights still alive (mask 1) in all layers together, the k = round(p * alive)
 * with the smallest |w| are set to 0 in the returned masks. Ties as in pruneLowestScores.
 */
export function globalMagnitudePrune(
  weights: readonly Float32Array[],
  masks: readonly Uint8Array[],
  fraction: number,
): GlobalPruneResult {
  if (!(fraction >= 0 && fraction <= 1))
    throw new Error(`prune fraction ${fraction} not in [0, 1]`);
  return pruneLowestScores(magnitudes(weights), masks, globalPruneCount(masks, fraction));
}

/**
 * Layer-wise magnitude pruning to given sparsities: layer l keeps
 * round((1 - sparsities[l]) * size_l) weights (halves to even), dropping its smallest |w|;
 * a layer already at or below its target is left alone (pruned weights never come back).
 */
export function pruneLayersTo(
  weights: readonly Float32Array[],
  masks: readonly Uint8Array[],
  sparsities: readonly number[],
): GlobalPruneResult {
  let pruned = 0;
  let aliveBefore = 0;
  const out = weights.map((w, l) => {
    const mask = masks[l]!;
    const alive = countAlive(mask);
    aliveBefore += alive;
    const keep = roundHalfEven((1 - sparsities[l]!) * w.length);
    if (alive <= keep) return mask.slice();
    const result = pruneLowestScores([w.map(Math.abs)], [mask], alive - keep);
    pruned += result.pruned;
    return result.masks[0]!;
  });
  return { masks: out, pruned, aliveBefore };
}

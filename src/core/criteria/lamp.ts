/**
 * LAMP (Lee et al. 2021): within each layer sort the surviving weights by w^2 ascending;
 * score(u) = w_u^2 / (sum of w_v^2 over v at or after u in that order); then prune the
 * k = round(p * alive) lowest scores over all layers (ties by position).
 */
import { globalPruneCount, pruneLowestScores } from '../prune-math';
import type { CriterionModule } from './types';

/** LAMP scores of one layer's weights (entries of pruned weights are left at +Infinity). */
export function lampScores(w: Float32Array, mask: Uint8Array): Float64Array {
  const scores = new Float64Array(w.length).fill(Number.POSITIVE_INFINITY);
  const alive: number[] = [];
  for (let i = 0; i < w.length; i++) if (mask[i]) alive.push(i);
  const sq = (i: number) => w[i]! * w[i]!;
  alive.sort((a, b) => sq(a) - sq(b) || a - b);
  let suffix = 0;
  for (let r = alive.length - 1; r >= 0; r--) {
    const i = alive[r]!;
    suffix += sq(i);
    scores[i] = suffix > 0 ? sq(i) / suffix : 0;
  }
  return scores;
}

export const lampCriterion: CriterionModule<'lamp'> = {
  id: 'lamp',
  formula:
    'score(u) = w_u² / Σ_{v ≥ u} w_v² within the layer (sorted by w²), the k = round(p · alive) lowest scores over all layers',
  source: 'Lee et al. 2021',
  label: 'LAMP (layer-adaptive scores)',
  description: 'layer-adaptive magnitude scores, ranked globally',
  prune: ({ weights, masks, fraction }) => {
    const scores = weights.map((w, l) => lampScores(w, masks[l]!));
    return pruneLowestScores(scores, masks, globalPruneCount(masks, fraction));
  },
};

/**
 * Uniform+ (Gale et al. 2019): the first layer stays dense when it is a convolution, the last
 * layer is capped at 80% sparsity, and the other layers share one sparsity x chosen so the
 * overall sparsity is the planned one:
 *   x * sum(middle sizes) + min(x, 0.8) * size_last = s * total   (x clipped to [0, 1]).
 */
import { pruneLayersTo } from '../prune-math';
import { isConv, type CriterionModule, type LayerRoles } from './types';

export const LAST_LAYER_CAP = 0.8;

/**
 * Per-layer sparsities of uniform+ for overall sparsity `s`. `roles` says whether the first and
 * last of `shapes` are the model's first and last layers: under per-layer overrides the
 * criterion sees only the free layers, and the dense-first / capped-last rules belong to the
 * model's own first and last layers, not to whichever free layer comes first or last.
 */
export function uniformPlusSparsities(
  shapes: readonly number[][],
  s: number,
  roles: LayerRoles = { first: true, last: true },
): number[] {
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const capped = roles.last ? sizes.length - 1 : -1;
  const firstDense = roles.first && isConv(shapes[0]!) && sizes.length > 1;
  const middle = sizes.reduce(
    (a, n, l) => (l === capped || (l === 0 && firstDense) ? a : a + n),
    0,
  );
  const cappedSize = capped >= 0 ? sizes[capped]! : 0;
  const budget = s * total;
  let x = budget / (middle + cappedSize);
  if (capped >= 0 && x > LAST_LAYER_CAP)
    x = middle > 0 ? (budget - LAST_LAYER_CAP * cappedSize) / middle : LAST_LAYER_CAP;
  x = Math.min(1, Math.max(0, x));
  return sizes.map((_, l) =>
    l === 0 && firstDense ? 0 : l === capped ? Math.min(x, LAST_LAYER_CAP) : x,
  );
}

export const uniformPlusCriterion: CriterionModule<'uniformPlus'> = {
  id: 'uniformPlus',
  formula:
    'first conv dense, last layer ≤ 80%, the rest share x: x · Σ n_middle + min(x, 0.8) · n_last = s_j · N',
  source: 'Gale et al. 2019',
  label: 'Uniform+ (first conv dense, last ≤ 80%)',
  description: 'first conv dense, last layer at most 80%, the rest equal',
  prune: ({ weights, masks, shapes, targetSparsity, roles }) =>
    pruneLayersTo(weights, masks, uniformPlusSparsities(shapes, targetSparsity, roles)),
};

/**
 * Uniform+ (Gale et al. 2019): the first layer stays dense when it is a convolution, the last
 * layer is capped at 80% sparsity, and the other layers share one sparsity x chosen so the
 * overall sparsity is the planned one:
 *   x * sum(middle sizes) + min(x, 0.8) * size_last = s * total   (x clipped to [0, 1]).
 */
import { pruneLayersTo } from '../prune-math';
import { isConv, type CriterionModule } from './types';

export const LAST_LAYER_CAP = 0.8;

/** Per-layer sparsities of uniform+ for overall sparsity `s`. */
export function uniformPlusSparsities(shapes: readonly number[][], s: number): number[] {
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const last = sizes.length - 1;
  const firstDense = isConv(shapes[0]!) && sizes.length > 1;
  const middle = sizes.reduce((a, n, l) => (l === last || (l === 0 && firstDense) ? a : a + n), 0);
  const budget = s * total;
  let x = budget / (middle + sizes[last]!);
  if (x > LAST_LAYER_CAP)
    x = middle > 0 ? (budget - LAST_LAYER_CAP * sizes[last]!) / middle : LAST_LAYER_CAP;
  x = Math.min(1, Math.max(0, x));
  return sizes.map((_, l) =>
    l === 0 && firstDense ? 0 : l === last ? Math.min(x, LAST_LAYER_CAP) : x,
  );
}

export const uniformPlusCriterion: CriterionModule = {
  label: 'Uniform+',
  description: 'first conv dense, last layer at most 80%, the rest equal',
  prune: ({ weights, masks, shapes, targetSparsity }) =>
    pruneLayersTo(weights, masks, uniformPlusSparsities(shapes, targetSparsity)),
};

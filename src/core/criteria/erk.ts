/**
 * ERK (Evci et al. 2020, RigL): layer density proportional to
 * (sum of kernel dims) / (product of kernel dims), scaled by one factor eps so the overall
 * density is 1 - s. While some layer's density eps * raw would exceed 1, the layer(s) with the
 * largest raw value are made dense and eps is recomputed over the rest (RigL's procedure).
 */
import { pruneLayersTo } from '../prune-math';
import type { CriterionModule } from './types';

/** Per-layer sparsities of ERK for overall sparsity `s`. */
export function erkSparsities(shapes: readonly number[][], s: number): number[] {
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const raw = shapes.map((shape, l) => shape.reduce((a, b) => a + b, 0) / sizes[l]!);
  const total = sizes.reduce((a, b) => a + b, 0);
  const dense = new Set<number>();
  for (;;) {
    const free = sizes.map((_, l) => l).filter((l) => !dense.has(l));
    if (free.length === 0) return sizes.map(() => 0);
    const rhs = (1 - s) * total - [...dense].reduce((a, l) => a + sizes[l]!, 0);
    const eps = rhs / free.reduce((a, l) => a + raw[l]! * sizes[l]!, 0);
    const maxRaw = Math.max(...free.map((l) => raw[l]!));
    if (maxRaw * eps > 1) {
      free.filter((l) => raw[l] === maxRaw).forEach((l) => dense.add(l));
      continue;
    }
    return sizes.map((_, l) => (dense.has(l) ? 0 : Math.max(0, 1 - eps * raw[l]!)));
  }
}

export const erkCriterion: CriterionModule<'erk'> = {
  id: 'erk',
  formula:
    'density_l = ε · (Σ dims_l) / (Π dims_l), ε chosen so the overall density is 1 − s_j (layers over 1 made dense)',
  source: 'Evci et al. 2020 (RigL)',
  label: 'ERK (Erdős–Rényi-Kernel)',
  description: 'layer density proportional to (sum of dims) / (product of dims)',
  prune: ({ weights, masks, shapes, targetSparsity }) =>
    pruneLayersTo(weights, masks, erkSparsities(shapes, targetSparsity)),
};

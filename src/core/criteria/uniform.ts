/** Uniform: every prunable layer gets the planned overall sparsity. */
import { pruneLayersTo } from '../prune-math';
import type { CriterionModule } from './types';

export const uniformCriterion: CriterionModule<'uniform'> = {
  id: 'uniform',
  formula: 'layer l keeps round((1 − s_j) · n_l) weights, smallest |w| pruned first',
  source: 'Zhu & Gupta 2017',
  label: 'Uniform (same sparsity per layer)',
  description: 'every layer pruned to the same sparsity, smallest |w| first',
  prune: ({ weights, masks, targetSparsity }) =>
    pruneLayersTo(
      weights,
      masks,
      weights.map(() => targetSparsity),
    ),
};

/** Uniform: every prunable layer gets the planned overall sparsity. */
import { pruneLayersTo } from '../prune-math';
import type { CriterionModule } from './types';

export const uniformCriterion: CriterionModule = {
  label: 'Uniform',
  description: 'every layer pruned to the same sparsity, smallest |w| first',
  prune: ({ weights, masks, targetSparsity }) =>
    pruneLayersTo(
      weights,
      masks,
      weights.map(() => targetSparsity),
    ),
};

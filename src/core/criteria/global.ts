/** Global magnitude: the k = round(p * alive) smallest |w| over all layers together. */
import { globalMagnitudePrune } from '../prune-math';
import type { CriterionModule } from './types';

export const globalCriterion: CriterionModule<'global'> = {
  id: 'global',
  formula: 'prune the k = round(p · alive) smallest |w| over all layers together',
  source: 'Han et al. 2015; Zimmer et al. 2021',
  label: 'Global magnitude',
  description: 'the smallest |w| over all layers together',
  prune: ({ weights, masks, fraction }) => globalMagnitudePrune(weights, masks, fraction),
};

/** Random (the control): k = round(p * alive) surviving weights chosen uniformly, seeded. */
import { globalPruneCount, pruneLowestScores } from '../prune-math';
import type { CriterionModule } from './types';

export const randomCriterion: CriterionModule = {
  label: 'Random',
  description: 'surviving weights chosen uniformly at random (seeded)',
  prune: ({ weights, masks, fraction, rng }) => {
    const scores = weights.map((w) => Float64Array.from(w, () => rng()));
    return pruneLowestScores(scores, masks, globalPruneCount(masks, fraction));
  },
};

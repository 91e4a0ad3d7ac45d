/** Random (the control): k = round(p * alive) surviving weights chosen uniformly, seeded. */
import { globalPruneCount, pruneLowestScores } from '../prune-math';
import type { CriterionModule } from './types';

export const randomCriterion: CriterionModule<'random'> = {
  id: 'random',
  formula: 'k = round(p · alive) surviving weights chosen uniformly at random (seeded)',
  source: 'the control of Zimmer et al. 2021',
  label: 'Random (control)',
  description: 'surviving weights chosen uniformly at random (seeded)',
  prune: ({ weights, masks, fraction, rng }) => {
    const scores = weights.map((w) => Float64Array.from(w, () => rng()));
    return pruneLowestScores(scores, masks, globalPruneCount(masks, fraction));
  },
};

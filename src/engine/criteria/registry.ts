/** Every selection criterion, by its config name. Adding one: a module plus one entry here. */
import type { Criterion } from '../../schema/config';
import { erkCriterion } from './erk';
import { globalCriterion } from './global';
import { lampCriterion } from './lamp';
import { randomCriterion } from './random';
import type { CriterionModule } from './types';
import { uniformCriterion } from './uniform';
import { uniformPlusCriterion } from './uniform-plus';

export const CRITERION_REGISTRY: Record<Criterion, CriterionModule> = {
  global: globalCriterion,
  uniform: uniformCriterion,
  uniformPlus: uniformPlusCriterion,
  erk: erkCriterion,
  lamp: lampCriterion,
  random: randomCriterion,
};

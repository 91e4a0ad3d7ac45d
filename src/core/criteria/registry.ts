/**
 * Every selection criterion, by its config name: the one list the config schema's enum, the
 * UI's options, the docs table and the PyTorch export's dispatch are derived from. Adding a
 * criterion: its module (id, label, description, formula, source, prune) plus one line here,
 * plus its Python twin in src/export/pruning_lab_experiment.py (a test fails without it).
 */
import { erkCriterion } from './erk';
import { globalCriterion } from './global';
import { lampCriterion } from './lamp';
import { randomCriterion } from './random';
import { uniformCriterion } from './uniform';
import { uniformPlusCriterion } from './uniform-plus';
import { registryIds } from '../registry-ids';

export const CRITERION_REGISTRY = {
  global: globalCriterion,
  uniform: uniformCriterion,
  uniformPlus: uniformPlusCriterion,
  erk: erkCriterion,
  lamp: lampCriterion,
  random: randomCriterion,
} as const;

export type CriterionId = keyof typeof CRITERION_REGISTRY;
export const CRITERION_IDS = registryIds(CRITERION_REGISTRY);

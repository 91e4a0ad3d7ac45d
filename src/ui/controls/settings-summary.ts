/** The experiment's settings in one line, for the folded settings panel (presentation mode). */
import { CRITERION_REGISTRY } from '../../core/criteria/registry';
import { DATASET_REGISTRY } from '../../core/datasets';
import { MODEL_REGISTRY } from '../../core/models';
import type { ExperimentConfig } from '../../schema/config';

/** A registry label without its parenthesised gloss: "MNIST (60k / 10k)" → "MNIST". */
const short = (label: string) => label.replace(/\s*\(.*\)\s*$/, '');

/**
 * E.g. "LeNet-300-100 · MNIST · 90% in 5 cycles · SLR": model, data set, target sparsity and
 * how it is reached (cycles and retraining schedule, or GMP over its training epochs), and the
 * criterion when it is not global magnitude.
 */
export function settingsSummary(config: ExperimentConfig): string {
  const target = `${Number((100 * config.targetSparsity).toFixed(1))}%`;
  const parts = [
    short(MODEL_REGISTRY[config.model].label),
    short(DATASET_REGISTRY[config.dataset].label),
  ];
  if (config.regime === 'gmp') {
    parts.push(
      `${target} with GMP over ${config.denseEpochs} epoch${config.denseEpochs === 1 ? '' : 's'}`,
    );
  } else {
    parts.push(
      config.cycles === 1 ? `${target} in one shot` : `${target} in ${config.cycles} cycles`,
      config.retrainEpochs === 0 ? 'no retraining' : config.retrainSchedule.toUpperCase(),
    );
  }
  if (config.criterion !== 'global') parts.push(short(CRITERION_REGISTRY[config.criterion].label));
  return parts.join(' · ');
}

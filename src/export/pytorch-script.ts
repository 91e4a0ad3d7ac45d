/**
 * Export to PyTorch: the experiment as a self-contained Python script. Pure (schema only), so
 * the app and the CLI both offer it.
 */
import type { ExperimentConfig } from '../schema/config';
import { PYTORCH_TEMPLATE } from './pytorch-template';

/** The file name the app and the CLI suggest. */
export const PYTORCH_SCRIPT_NAME = 'pruning_lab_experiment.py';

/**
 * The script for `config`. The config goes in as pretty JSON inside a raw triple-quoted
 * Python string: JSON escapes every quote inside its strings, so no `"""` can end it early.
 */
export function pytorchScript(config: ExperimentConfig): string {
  return PYTORCH_TEMPLATE.replace('__CONFIG__', () => JSON.stringify(config, null, 2));
}

/**
 * Export to PyTorch: the experiment as a self-contained Python script. Pure (schema and core
 * only), so the app and the CLI both offer it. The script is src/export/pruning_lab_experiment.py
 * (bundled by `npm run build:python`); the config and the lab's constants and option lists go
 * in as JSON, from the registries, so nothing in the script is copied by hand.
 */
import { CRITERION_IDS } from '../core/criteria/registry';
import { LAST_LAYER_CAP } from '../core/criteria/uniform-plus';
import { DATASET_IDS, DATASET_REGISTRY } from '../core/datasets';
import { BN_RECALIBRATION_BATCHES, MODEL_IDS } from '../core/models';
import { DENSE_FINAL_FACTOR, WARMUP_FRACTION } from '../core/schedules/dense';
import { SCHEDULE_IDS, SCHEDULE_REGISTRY } from '../core/schedules/registry';
import type { ExperimentConfig } from '../schema/config';
import { PYTORCH_TEMPLATE } from './pytorch-template';

/** The file name the app and the CLI suggest. */
export const PYTORCH_SCRIPT_NAME = 'pruning_lab_experiment.py';

/** What the script reads as LAB: constants and option lists from the lab's registries. */
export function labConstants() {
  return {
    warmupFraction: WARMUP_FRACTION,
    denseFinalFactor: DENSE_FINAL_FACTOR,
    lastLayerCap: LAST_LAYER_CAP,
    bnRecalibrationBatches: BN_RECALIBRATION_BATCHES,
    criteria: CRITERION_IDS,
    models: MODEL_IDS,
    schedules: Object.fromEntries(
      SCHEDULE_IDS.map((id) => [id, { warmup: SCHEDULE_REGISTRY[id].warmup }]),
    ),
    datasets: Object.fromEntries(
      DATASET_IDS.map((id) => {
        const { imageShape, classes, mean, std, trainCount, testCount } = DATASET_REGISTRY[id];
        const augments = DATASET_REGISTRY[id].augments === true;
        return [id, { imageShape, classes, mean, std, trainCount, testCount, augments }];
      }),
    ),
  };
}

/**
 * The script for `config`. Both go in as pretty JSON inside raw triple-quoted Python strings:
 * JSON escapes every quote inside its strings, so no `"""` can end one early.
 */
export function pytorchScript(config: ExperimentConfig): string {
  return fillTemplate({ config, sweep: null });
}

/**
 * The template with its placeholders filled in one pass (so a value that happens to contain
 * another placeholder's name is left alone): __CONFIG__ (one experiment, or null), __SWEEP__
 * (a sweep's array tasks, or null; see sweep-export.ts) and __LAB__.
 */
export function fillTemplate(fill: { config: ExperimentConfig | null; sweep: unknown }): string {
  const values: Record<string, unknown> = {
    CONFIG: fill.config,
    SWEEP: fill.sweep,
    LAB: labConstants(),
  };
  return PYTORCH_TEMPLATE.replace(/__(CONFIG|SWEEP|LAB)__/g, (_, key: string) =>
    JSON.stringify(values[key], null, 2),
  );
}

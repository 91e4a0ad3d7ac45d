/**
 * The experiment config: one schema for the app, the worker, the CLI and the docs.
 * Pure zod over the registries of src/core/, no tfjs, no DOM: everything may import it.
 */
import { z } from 'zod';
import { CRITERION_IDS, type CriterionId } from '../core/criteria/registry';
import { DATASET_IDS, type DatasetId } from '../core/datasets';
import { MODEL_IDS, MODEL_LAYERS, type ModelId } from '../core/models';
import {
  BACKEND_IDS,
  REGIME_IDS,
  REWIND_IDS,
  type BackendId,
  type RegimeId,
  type RewindId,
} from '../core/regimes';
import { SCHEDULE_IDS, type ScheduleId } from '../core/schedules/registry';

// Every option list comes from its registry in src/core/ (one definition per option).
export const DATASETS = DATASET_IDS;
export const MODELS = MODEL_IDS;
export const RETRAIN_SCHEDULES = SCHEDULE_IDS;
export const REGIMES = REGIME_IDS;
export const REWIND_POINTS = REWIND_IDS;
export const CRITERIA = CRITERION_IDS;
export const BACKEND_SETTINGS = BACKEND_IDS;

export type DatasetName = DatasetId;
export type ModelName = ModelId;
export type RetrainSchedule = ScheduleId;
export type Criterion = CriterionId;
export type BackendSetting = BackendId;
export type Regime = RegimeId;
export type RewindPoint = RewindId;

const configObject = z.strictObject({
  dataset: z.enum(DATASETS).default('mnist').describe('Data set to train on.'),
  model: z.enum(MODELS).default('lenet300').describe('Network architecture.'),
  regime: z
    .enum(REGIMES)
    .default('imp')
    .describe(
      'imp: train dense, then prune/retrain cycles; gmp: prune gradually during one training run.',
    ),
  denseEpochs: z.int().min(1).max(200).default(3).describe('Epochs of dense training.'),
  targetSparsity: z
    .number()
    .min(0)
    .max(0.999)
    .default(0.9)
    .describe('Fraction of prunable weights that are zero after the last cycle (0..0.999).'),
  cycles: z.int().min(1).max(50).default(5).describe('Number of prune/retrain cycles (J).'),
  retrainEpochs: z
    .int()
    .min(0)
    .max(100)
    .default(1)
    .describe('Retraining epochs per cycle; 0 prunes with no retraining.'),
  retrainSchedule: z
    .enum(RETRAIN_SCHEDULES)
    .default('slr')
    .describe('Learning-rate schedule of each retraining phase.'),
  rewind: z
    .enum(REWIND_POINTS)
    .default('none')
    .describe(
      'After each prune, reset surviving weights to their values at init or after dense epoch rewindEpoch (IMP only).',
    ),
  rewindEpoch: z
    .int()
    .min(1)
    .max(200)
    .default(1)
    .describe('The dense epoch whose weights rewinding restores, when rewind is "epoch".'),
  gmpStart: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe('GMP: fraction of the training run at which pruning starts (t_0).'),
  gmpEnd: z
    .number()
    .min(0)
    .max(1)
    .default(0.75)
    .describe('GMP: fraction of the training run at which the target sparsity is reached.'),
  gmpEvery: z
    .int()
    .min(1)
    .max(100000)
    .default(50)
    .describe('GMP: iterations between pruning steps (dt).'),
  bnRecalibration: z
    .boolean()
    .default(false)
    .describe(
      'After each prune, recompute batch-norm statistics over training batches (models with BN).',
    ),
  layerOverrides: z
    .record(z.string(), z.union([z.literal('exclude'), z.number().min(0).max(0.999)]))
    .default({})
    .describe(
      'Per layer: "exclude" keeps it dense; a number pins its sparsity after the last cycle.',
    ),
  criterion: z
    .enum(CRITERIA)
    .default('global')
    .describe(`Which weights are pruned: ${CRITERION_IDS.join(', ')}.`),
  lr: z
    .number()
    .gt(0)
    .max(10)
    .default(0.1)
    .describe('Peak learning rate (lrMax) of dense training.'),
  batchSize: z.int().min(1).max(4096).default(128).describe('Mini-batch size.'),
  weightDecay: z
    .number()
    .min(0)
    .max(0.1)
    .default(1e-4)
    .describe('L2 weight decay; Nesterov momentum is used when it is > 0.'),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42)
    .describe('Seed for initial weights and data order.'),
  backend: z
    .enum(BACKEND_SETTINGS)
    .default('auto')
    .describe('TensorFlow.js backend; auto picks the fastest usable one.'),
});

/** Cross-field rules that one field's range cannot say. */
export const configSchema = configObject.superRefine((config, ctx) => {
  if (config.rewind === 'epoch' && config.rewindEpoch > config.denseEpochs) {
    ctx.addIssue({
      code: 'custom',
      path: ['rewindEpoch'],
      message: `must be at most denseEpochs (${config.denseEpochs})`,
    });
  }
  const layers = MODEL_LAYERS[config.model];
  for (const name of Object.keys(config.layerOverrides)) {
    if (!layers.includes(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['layerOverrides', name],
        message: `${config.model} has no prunable layer "${name}" (its layers: ${layers.join(', ')})`,
      });
    }
  }
  if (config.gmpStart > config.gmpEnd) {
    ctx.addIssue({ code: 'custom', path: ['gmpEnd'], message: 'must be at least gmpStart' });
  }
});

/** Each field's own schema, to validate one form field at a time. */
export const configFieldSchemas = configObject.shape;

export type ExperimentConfig = z.infer<typeof configObject>;

export const DEFAULT_CONFIG: ExperimentConfig = configSchema.parse({});

/** A field-named, human-readable error for a config that fails validation. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid config:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Formats zod issues as `field: message` lines. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(config)';
    if (issue.code === 'unrecognized_keys') {
      return `${issue.keys.join(', ')}: unknown field${issue.keys.length > 1 ? 's' : ''}`;
    }
    return `${path}: ${issue.message}`;
  });
}

/** Parses an untrusted value into a full config (defaults filled in) or throws ConfigError. */
export function parseConfig(input: unknown): ExperimentConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(formatIssues(result.error));
  return result.data;
}

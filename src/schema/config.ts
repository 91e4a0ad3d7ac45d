/**
 * The experiment config: one schema for the app, the worker, the CLI and the docs.
 * Pure zod, no tfjs, no DOM: everything may import it.
 */
import { z } from 'zod';

export const DATASETS = ['mnist', 'synthetic'] as const;
export const MODELS = ['lenet300', 'lenet5'] as const;
export const RETRAIN_SCHEDULES = ['ft', 'lrw', 'slr', 'clr', 'llr'] as const;
export const CRITERIA = ['global', 'uniform', 'uniformPlus', 'erk', 'lamp', 'random'] as const;
export const BACKEND_SETTINGS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type DatasetName = (typeof DATASETS)[number];
export type ModelName = (typeof MODELS)[number];
export type RetrainSchedule = (typeof RETRAIN_SCHEDULES)[number];
export type Criterion = (typeof CRITERIA)[number];
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];

export const configSchema = z.strictObject({
  dataset: z.enum(DATASETS).default('mnist').describe('Data set to train on.'),
  model: z.enum(MODELS).default('lenet300').describe('Network architecture.'),
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
  layerOverrides: z
    .record(z.string(), z.union([z.literal('exclude'), z.number().min(0).max(0.999)]))
    .default({})
    .describe(
      'Per layer: "exclude" keeps it dense; a number pins its sparsity after the last cycle.',
    ),
  criterion: z
    .enum(CRITERIA)
    .default('global')
    .describe('Which weights are pruned: global, uniform, uniformPlus, erk, lamp or random.'),
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

export type ExperimentConfig = z.infer<typeof configSchema>;

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

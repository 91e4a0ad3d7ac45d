/**
 * The experiment config: one schema for the app, the worker, the CLI and the docs.
 * Pure zod over the registries of src/core/, no tfjs, no DOM: everything may import it.
 */
import { z } from 'zod';
import { CRITERION_IDS, type CriterionId } from '../core/criteria/registry';
import {
  DATASET_IDS,
  DATASET_REGISTRY,
  IMAGE_CHANNELS_IDS,
  configImageShape,
  type DatasetId,
} from '../core/datasets';
import { MODEL_IDS, MODEL_LAYERS, MODEL_REGISTRY, type ModelId } from '../core/models';
import { checkOverrides } from '../core/override-feasibility';
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
export const IMAGE_CHANNELS = IMAGE_CHANNELS_IDS;
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
  dataset: z
    .enum(DATASETS)
    .default('fashion-mnist')
    .meta({ title: 'Data set', description: 'Data set to train on.' }),
  dataDir: z
    .string()
    .default('')
    .meta({
      title: 'Data folder or archive',
      description:
        'CLI: where a data set opened from your own files lives (for cifar10 / cifar100 the ' +
        '.tar.gz itself or its unpacked folder; for images a folder or .zip of class folders); ' +
        'empty: none. The app asks for the file instead.',
    }),
  augment: z
    .boolean()
    .default(true)
    .meta({
      title: 'Augment training images (CIFAR)',
      description:
        "The paper's CIFAR augmentation: each training image randomly cropped from a 4-pixel " +
        'zero padding and mirrored left-right with probability 1/2, seeded. CIFAR-10/100 only.',
    }),
  imageSize: z
    .int()
    .min(8)
    .max(64)
    .default(32)
    .meta({
      title: 'Image size',
      description:
        'images: the side, in pixels, of the square every image is resized to (area average ' +
        'when shrinking, bilinear when growing; the aspect ratio is not kept). Other data sets ' +
        'ignore it.',
    }),
  imageChannels: z
    .enum(IMAGE_CHANNELS_IDS)
    .default('rgb')
    .meta({
      title: 'Image channels',
      description:
        'images: rgb keeps 3 colour channels, grey makes one (0.299 R + 0.587 G + 0.114 B). ' +
        'Other data sets ignore it.',
    }),
  validationSplit: z
    .number()
    .min(0)
    .max(0.5)
    .default(0)
    .meta({
      title: 'Validation split',
      description:
        'Share of the training set held out, seeded, its accuracy reported beside the test ' +
        "accuracy (the paper's code holds out 0.1); 0: none.",
    }),
  model: z
    .enum(MODELS)
    .default('lenet5')
    .meta({ title: 'Model', description: 'Network architecture.' }),
  regime: z.enum(REGIMES).default('imp').meta({
    title: 'Regime',
    description:
      'imp: train dense, then prune/retrain cycles; gmp: prune gradually during one training run.',
  }),
  denseEpochs: z
    .int()
    .min(1)
    .max(200)
    .default(3)
    .meta({ title: 'Dense epochs', description: 'Epochs of dense training.' }),
  targetSparsity: z.number().min(0).max(0.999).default(0.9).meta({
    title: 'Target sparsity',
    description: 'Fraction of prunable weights that are zero after the last cycle (0..0.999).',
  }),
  cycles: z
    .int()
    .min(1)
    .max(50)
    .default(5)
    .meta({ title: 'Cycles', description: 'Number of prune/retrain cycles (J).' }),
  retrainEpochs: z.int().min(0).max(100).default(1).meta({
    title: 'Retrain epochs per cycle',
    description: 'Retraining epochs per cycle; 0 prunes with no retraining.',
  }),
  retrainSchedule: z.enum(RETRAIN_SCHEDULES).default('slr').meta({
    title: 'Retrain schedule',
    description: 'Learning-rate schedule of each retraining phase.',
  }),
  rewind: z.enum(REWIND_POINTS).default('none').meta({
    title: 'Weight rewinding',
    description:
      'After each prune, reset surviving weights to their values at init or after dense epoch rewindEpoch (IMP only).',
  }),
  rewindEpoch: z.int().min(1).max(200).default(1).meta({
    title: 'Rewind to dense epoch',
    description: 'The dense epoch whose weights rewinding restores, when rewind is "epoch".',
  }),
  gmpStart: z.number().min(0).max(1).default(0.1).meta({
    title: 'GMP starts at',
    description: 'GMP: fraction of the training run at which pruning starts (t_0).',
  }),
  gmpEnd: z.number().min(0).max(1).default(0.75).meta({
    title: 'GMP reaches target at',
    description: 'GMP: fraction of the training run at which the target sparsity is reached.',
  }),
  gmpEvery: z.int().min(1).max(100000).default(50).meta({
    title: 'GMP prunes every',
    description: 'GMP: iterations between pruning steps (dt).',
  }),
  bnRecalibration: z.boolean().default(false).meta({
    title: 'Recalibrate batch norm after each prune',
    description:
      'After each prune, recompute batch-norm statistics over training batches (models with BN).',
  }),
  layerOverrides: z
    .record(z.string(), z.union([z.literal('exclude'), z.number().min(0).max(0.999)]))
    .default({})
    .meta({
      title: 'Per-layer overrides',
      description:
        'Per layer: "exclude" keeps it dense; a number pins its sparsity after the last cycle.',
    }),
  criterion: z
    .enum(CRITERIA)
    .default('global')
    .meta({
      title: 'Criterion',
      description: `Which weights are pruned: ${CRITERION_IDS.join(', ')}.`,
    }),
  lr: z.number().gt(0).max(10).default(0.1).meta({
    title: 'Learning rate (max)',
    description: 'Peak learning rate (lrMax) of dense training.',
  }),
  batchSize: z
    .int()
    .min(1)
    .max(4096)
    .default(128)
    .meta({ title: 'Batch size', description: 'Mini-batch size.' }),
  weightDecay: z.number().min(0).max(0.1).default(1e-4).meta({
    title: 'Weight decay',
    description: 'L2 weight decay; Nesterov momentum is used when it is > 0.',
  }),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42)
    .meta({ title: 'Seed', description: 'Seed for initial weights and data order.' }),
  repeats: z
    .int()
    .min(1)
    .max(10)
    .default(1)
    .meta({
      title: 'Repeats',
      description:
        'Runs the experiment this many times, with seeds seed, seed + 1, …; the charts show ' +
        'the mean with a band (±1 standard deviation or min–max) and the results keep every run.',
    }),
  backend: z.enum(BACKEND_SETTINGS).default('auto').meta({
    title: 'Backend',
    description: 'TensorFlow.js backend; auto picks the fastest usable one.',
  }),
});

type ConfigKey = keyof z.infer<typeof configObject>;

/** Cross-field rules about the settings as written (they hold for any recorded run too). */
function formRules(config: z.infer<typeof configObject>, ctx: z.RefinementCtx): void {
  if (config.rewind === 'epoch' && config.rewindEpoch > config.denseEpochs) {
    ctx.addIssue({
      code: 'custom',
      path: ['rewindEpoch'],
      message: `must be at most {denseEpochs} (${config.denseEpochs})`,
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
    ctx.addIssue({ code: 'custom', path: ['gmpEnd'], message: 'must be at least {gmpStart}' });
  }
}

/**
 * Cross-field rules that one field's range cannot say. Besides the rules of the form, the
 * per-layer overrides must let the run reach its target without leaving the criterion's layers
 * almost nothing (src/core/override-feasibility.ts).
 */
export const configSchema = configObject.superRefine((config, ctx) => {
  formRules(config, ctx);
  const names = Object.keys(config.layerOverrides);
  if (names.length === 0 || !names.every((n) => MODEL_LAYERS[config.model].includes(n))) return;
  const data = DATASET_REGISTRY[config.dataset];
  const check = checkOverrides({
    layers: MODEL_REGISTRY[config.model].layers(configImageShape(config), data.classes),
    overrides: config.layerOverrides,
    targetSparsity: config.targetSparsity,
    // GMP's pins and target meet at its last step: the end state is what can be checked.
    cycles: config.regime === 'imp' ? config.cycles : 1,
  });
  if (check.problem) {
    ctx.addIssue({ code: 'custom', path: ['layerOverrides'], message: check.problem.message });
  }
});

/**
 * The config of a recorded run (a results document, a saved run): the form's rules only. A
 * run recorded before the overrides were checked is still read; running it again is refused.
 */
export const recordedConfigSchema = configObject.superRefine(formRules);

/** Each field's own schema, to validate one form field at a time. */
export const configFieldSchemas = configObject.shape;

export type ExperimentConfig = z.infer<typeof configObject>;

export const DEFAULT_CONFIG: ExperimentConfig = configSchema.parse({});

/** The label of a setting (its schema title), as the settings panel names it. */
export function fieldLabel(key: string): string {
  const title = Object.hasOwn(configFieldSchemas, key)
    ? configFieldSchemas[key as ConfigKey].meta()?.title
    : undefined;
  return typeof title === 'string' ? title : key;
}

/**
 * A field-named, human-readable error for a config that fails validation: `issues` are
 * `field: message` lines (the CLI's), `details` the same problems for a sentence per setting.
 */
export class ConfigError extends Error {
  constructor(
    readonly issues: readonly string[],
    readonly details: readonly ConfigIssue[] = [],
  ) {
    super(`Invalid config:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** A config problem: where (path of keys) and what, in words without the field's name. */
export interface ConfigIssue {
  /** The path joined with dots ('cycles', 'layerOverrides.fc1'), '' for the whole config. */
  path: string;
  /** The setting it is about, or null for the whole config. */
  key: string | null;
  message: string;
}

const numberText = (n: unknown) =>
  typeof n === 'bigint' || typeof n === 'number' ? String(n) : '?';
const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  string: 'text',
  object: 'a JSON object',
  record: 'a JSON object',
  array: 'a list',
};

/**
 * The plain words of one zod issue ("must be at least 1"), without the field's name. Other
 * settings a cross-field rule names as `{key}` are written by `name` (the key itself for the
 * CLI, the label for the settings panel).
 */
export function issueMessage(issue: z.core.$ZodIssue, name: (key: string) => string = (k) => k) {
  switch (issue.code) {
    case 'too_small':
      return issue.inclusive === false
        ? `must be more than ${numberText(issue.minimum)}`
        : `must be at least ${numberText(issue.minimum)}`;
    case 'too_big':
      return issue.inclusive === false
        ? `must be less than ${numberText(issue.maximum)}`
        : `must be at most ${numberText(issue.maximum)}`;
    case 'invalid_type':
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_union':
      // The one union of the config: a layer override's value.
      return issue.errors
        .flat()
        .some((e) => e.code === 'invalid_value' && e.values.includes('exclude'))
        ? 'must be "exclude" or a sparsity from 0 to 0.999'
        : 'is not a valid value';
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}`;
    case 'custom':
      return issue.message.replace(/\{(\w+)\}/g, (whole, key: string) =>
        Object.hasOwn(configFieldSchemas, key) ? name(key) : whole,
      );
    default:
      return issue.message;
  }
}

/** Each issue of `error` with its place and its plain words (other settings named by `name`). */
export function configIssueList(
  error: z.ZodError,
  name: (key: string) => string = (k) => k,
): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    const key = issue.code === 'unrecognized_keys' ? null : (issue.path[0]?.toString() ?? null);
    return { path, key, message: issueMessage(issue, name) };
  });
}

/** Formats zod issues as `field: message` lines (the CLI's and the link notices' form). */
export function formatIssues(error: z.ZodError): string[] {
  return configIssueList(error).map((i) => `${i.path || '(config)'}: ${i.message}`);
}

/** An issue as the settings panel says it: "Dense epochs must be at least 1". */
export function fieldSentence(
  issue: ConfigIssue,
  label = issue.key ? fieldLabel(issue.key) : '',
): string {
  if (!label) return `The settings ${issue.message}.`;
  const text = `${label} ${issue.message}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function parseWith(schema: typeof configSchema, input: unknown): ExperimentConfig {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(formatIssues(result.error), configIssueList(result.error, fieldLabel));
  }
  return result.data;
}

/** Parses an untrusted value into a full config (defaults filled in) or throws ConfigError. */
export function parseConfig(input: unknown): ExperimentConfig {
  return parseWith(configSchema, input);
}

/** Parses a recorded run's config (recordedConfigSchema: the form's rules) or throws. */
export function parseRecordedConfig(input: unknown): ExperimentConfig {
  return parseWith(recordedConfigSchema, input);
}

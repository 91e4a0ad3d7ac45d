/**
 * The results document written by the CLI (`results.json`) and downloaded by the app.
 * Pure zod; `docs/results-schema.md` describes each field.
 */
import { z } from 'zod';
import { recordedConfigSchema } from './config';

export const RESULTS_SCHEMA_VERSION = 1;

export const evaluationSchema = z.object({
  testAccuracy: z.number().min(0).max(1),
  testLoss: z.number(),
  /** On the held-out validation images, where the config holds some out. */
  validationAccuracy: z.number().min(0).max(1).optional(),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

export const epochRecordSchema = z.object({
  /** 'dense' or 'retrain'. */
  phase: z.enum(['dense', 'retrain']),
  /** 0 for dense training, j >= 1 for the retraining of cycle j. */
  cycle: z.int().min(0),
  /** 1-based epoch within the phase. */
  epoch: z.int().min(1),
  /** Epoch counter over the whole run (1-based). */
  globalEpoch: z.int().min(1),
  /** Mean training cross-entropy over the epoch's batches. */
  trainLoss: z.number(),
  testAccuracy: z.number().min(0).max(1),
  testLoss: z.number(),
  /** On the held-out validation images, where the config holds some out. */
  validationAccuracy: z.number().min(0).max(1).optional(),
  /** Learning rate of the epoch's last iteration. */
  lr: z.number(),
  /** Global sparsity over prunable weights during the epoch. */
  sparsity: z.number().min(0).max(1),
});
export type EpochRecord = z.infer<typeof epochRecordSchema>;

export const layerStatsSchema = z.object({
  name: z.string(),
  shape: z.array(z.int()),
  size: z.int().min(0),
  alive: z.int().min(0),
  sparsity: z.number().min(0).max(1),
  /**
   * In cycles[].layers only, the cut of that cycle's prune in this layer: the largest |w| it
   * removed (null when it removed none) and the smallest |w| it kept (null when none is left).
   * Absent in older files.
   */
  prunedMaxAbs: z.number().min(0).nullable().optional(),
  keptMinAbs: z.number().min(0).nullable().optional(),
});
export type LayerStats = z.infer<typeof layerStatsSchema>;

const storageSchema = {
  storageDenseBytes: z.number().min(0),
  storageBitmaskBytes: z.number().min(0),
  storageCsrBytes: z.number().min(0),
};

export const reportSchema = z.object({
  layers: z.array(
    z.object({
      name: z.string(),
      size: z.int().min(0),
      alive: z.int().min(0),
      /** Forward FLOPs for one image, dense and with zeros skipped. */
      flopsDense: z.number().min(0),
      flopsSparse: z.number().min(0),
      ...storageSchema,
      /** ||w_before - w_after|| / ||w_before|| of this prune. */
      normDrop: z.number().min(0),
    }),
  ),
  total: z.object({
    flopsDense: z.number().min(0),
    flopsSparse: z.number().min(0),
    /** Theoretical speed-up: dense FLOPs / sparse FLOPs. */
    speedup: z.number().min(0),
    ...storageSchema,
    normDrop: z.number().min(0),
  }),
  /** (acc before prune - acc after prune) / acc before prune. */
  instability: z.number(),
});
export type CompressionReport = z.infer<typeof reportSchema>;

export const cycleRecordSchema = z.object({
  cycle: z.int().min(1),
  /** Planned sparsity after this cycle: 1 - (1 - s)^(j/J). */
  plannedSparsity: z.number().min(0).max(1),
  /** Actual global sparsity over prunable weights after pruning. */
  sparsity: z.number().min(0).max(1),
  /** Fraction p of the alive weights pruned this cycle. */
  pruneFraction: z.number().min(0).max(1),
  /** Number of weights pruned this cycle, k = round(p * alive). */
  pruned: z.int().min(0),
  layers: z.array(layerStatsSchema),
  afterPrune: evaluationSchema,
  afterRetrain: evaluationSchema.nullable(),
  /** After batch-norm recalibration of the pruned network (bnRecalibration on, BN models). */
  afterRecalibration: evaluationSchema.nullable().default(null),
  /** After rewinding the surviving weights (rewind on), before retraining. */
  afterRewind: evaluationSchema.nullable().default(null),
  /** FLOPs, storage, norm drop and instability right after this prune. */
  report: reportSchema,
  /**
   * d = sqrt(|‖θ‖² − ‖θ_pruned‖²|) / ‖θ‖ over every weight and bias, batch norm included: the
   * norm drop ALLR reads (report.total.normDrop is over the prunable kernels only).
   */
  paramNormDrop: z.number().min(0).optional(),
  retrainIterations: z.int().min(0),
  /** The learning rate of every retraining iteration, in order (absent in older files). */
  lrSchedule: z.array(z.number()).optional(),
  epochs: z.array(epochRecordSchema),
});
export type CycleRecord = z.infer<typeof cycleRecordSchema>;

export const denseRecordSchema = z.object({
  iterations: z.int().min(1),
  lrMax: z.number(),
  lrMin: z.number(),
  /** The learning rate of every training iteration, in order (absent in older files). */
  lrSchedule: z.array(z.number()).optional(),
  final: evaluationSchema,
  epochs: z.array(epochRecordSchema),
});
export type DenseRecord = z.infer<typeof denseRecordSchema>;

export const gmpRecordSchema = z.object({
  /** t_0, dt and n of the cubic schedule, in iterations of the training run. */
  start: z.int().min(0),
  every: z.int().min(1),
  steps: z.int().min(0),
  /** One entry per pruning step: s_t planned and the sparsity reached. */
  pruneSteps: z.array(
    z.object({
      iteration: z.int().min(0),
      plannedSparsity: z.number().min(0).max(1),
      sparsity: z.number().min(0).max(1),
      layers: z.array(z.number().min(0).max(1)),
    }),
  ),
});
export type GmpRecord = z.infer<typeof gmpRecordSchema>;

/** One layer sensitivity analysis (Distiller's) of the network as it was after one state. */
export const sensitivityRecordSchema = z.object({
  /** The state analysed: 0 after dense training, j after cycle j (retrained). */
  cycle: z.int().min(0),
  /** The sparsities each layer was pruned to, alone, with no retraining. */
  levels: z.array(z.number().min(0).max(1)),
  /** One curve per prunable layer, then 'global': global magnitude at the same overall sparsity. */
  curves: z.array(
    z.object({
      layer: z.string(),
      points: z.array(
        z.object({
          /** The pruned layer's sparsity (for 'global', the overall sparsity). */
          layerSparsity: z.number().min(0).max(1),
          /** Sparsity over all prunable weights. */
          overallSparsity: z.number().min(0).max(1),
          testAccuracy: z.number().min(0).max(1),
        }),
      ),
    }),
  ),
});
export type SensitivityRecord = z.infer<typeof sensitivityRecordSchema>;

/** One run: one seed of an experiment. */
export const runResultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  config: recordedConfigSchema,
  environment: z.object({
    /** The tfjs backend the run trained on. */
    backend: z.string(),
    /** The GPU adapter or WebGL renderer the backend ran on; null for WASM and CPU. */
    adapter: z.string().nullable(),
    tfjsVersion: z.string(),
    /** 'browser' or 'node'. */
    runtime: z.enum(['browser', 'node', 'pytorch']),
    startedAt: z.string(),
    /** Milliseconds spent in training, pruning and evaluation. */
    computeTimeMs: z.number().min(0),
  }),
  model: z.object({
    name: z.string(),
    totalParams: z.int().min(0),
    prunableParams: z.int().min(0),
    layers: z.array(layerStatsSchema),
  }),
  /** The training run: dense training under IMP, the pruning run under GMP. */
  dense: denseRecordSchema.nullable(),
  /** GMP's pruning steps (regime gmp), else null. */
  gmp: gmpRecordSchema.nullable().default(null),
  cycles: z.array(cycleRecordSchema),
  /** Layer sensitivity analyses, one per analysed state, by cycle (absent until one runs). */
  sensitivity: z.array(sensitivityRecordSchema).optional(),
});

/**
 * The results document: the run with the config's seed, and with `repeats: N > 1` in the config
 * the runs with seeds seed + 1 … seed + N − 1 in `repeats`, in order (each a whole run with its
 * own config's seed; absent with one seed). Consumers that read one run read the first.
 */
export const resultsSchema = runResultsSchema.extend({
  repeats: z.array(runResultsSchema).optional(),
});
export type Results = z.infer<typeof resultsSchema>;
/** One seed's run (no repeats of its own). */
export type RunResults = z.infer<typeof runResultsSchema>;

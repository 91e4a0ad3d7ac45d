/**
 * One pruning experiment. IMP: train dense, then J cycles of {prune with the criterion,
 * optionally recalibrate BN and rewind, retrain}. GMP: one training run that prunes every dt
 * iterations on the cubic schedule (the "dense" phase is then the pruning run; no cycles).
 * Each step is an async method; the session keeps the results document up to date and
 * reports progress, results and status through an event sink. One operation at a time.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset';
import { DATASET_REGISTRY } from '../core/datasets';
import { deriveSeed, makeRng, type Rng } from '../data/rng';
import type { ExperimentConfig } from '../schema/config';
import { sameConfig, type StoredCheckpoint } from '../schema/stored-run';
import {
  RESULTS_SCHEMA_VERSION,
  type CompressionReport,
  type CycleRecord,
  type EpochRecord,
  type Evaluation,
  type GmpRecord,
  type Results,
  type SensitivityRecord,
} from '../schema/results';
import type { EventSink, Phase, SessionStatus, Stage } from './events';
import { denseRates, denseSchedule } from '../core/schedules/dense';
import { retrainRates } from '../core/schedules/rates';
import type { DenseSchedule, PruneEffect } from '../core/schedules/types';
import { recalibrateBatchNorm, hasBatchNorm } from './bn-recalibration';
import { prefersResidentData, ResidentDataset } from './resident-data';
import { gmpPlan, gmpSparsity, isGmpStep, type GmpPlan } from './gmp';
import { BN_RECALIBRATION_BATCHES } from '../core/models';
import { buildModel } from './models';
import { PrunableNet } from './prunable-net';
import { CRITERION_REGISTRY } from '../core/criteria/registry';
import { layerCut } from '../core/inspect';
import { pruneWithOverrides } from '../core/overrides';
import { layerReports, pruningInstability, relativeNormDrop } from './report';
import {
  countAlive,
  plannedSparsity,
  pruneFractionPerCycle,
  roundHalfEven,
} from '../core/prune-math';
import { RunControl } from './run-control';
import { evaluate, iterationsPerEpoch, trainPhase } from './train';

export interface SessionOptions {
  runtime: 'browser' | 'node';
  /** The GPU adapter or WebGL renderer in use, recorded in the results. */
  adapter?: string | null;
  onEvent?: EventSink;
  /** Minimum milliseconds between progress events. */
  progressEveryMs?: number;
  /**
   * Called (awaited, training waits) when the network reaches a checkpoint: dense training
   * done (cycle 0), or cycle j retrained (or pruned, with 0 retraining epochs).
   */
  onCheckpoint?: (cycle: number, net: PrunableNet) => Promise<void>;
  /** Keep the data on the device; by default on the GPU backends (webgl, webgpu). */
  residentData?: boolean;
}

export { BN_RECALIBRATION_BATCHES } from '../core/models';

/**
 * Everything needed to continue a run from the end of a cycle (or of dense training) in a new
 * session, with the numbers an uninterrupted run would give: the results so far, every model
 * weight, the masks, the weights rewinding restores, and how far each named random stream
 * (data order, prune, BN recalibration) has got. Its one definition is the stored-run schema.
 */
export type SessionCheckpoint = StoredCheckpoint;

/** A seeded stream that counts its draws, so a restored session can skip to the same place. */
function countingRng(seed: number): Rng & { draws: number } {
  const next = makeRng(seed);
  const rng = Object.assign(
    () => {
      rng.draws += 1;
      return next();
    },
    { draws: 0 },
  );
  return rng;
}

export class BusyError extends Error {
  constructor(what: string) {
    super(`Cannot ${what} now: another operation is running.`);
    this.name = 'BusyError';
  }
}

/** An epoch record's evaluation: test accuracy and loss, and validation accuracy if any. */
function evaluationOf(record: EpochRecord): Evaluation {
  const { testAccuracy, testLoss, validationAccuracy } = record;
  return validationAccuracy === undefined
    ? { testAccuracy, testLoss }
    : { testAccuracy, testLoss, validationAccuracy };
}

export class ImpSession {
  readonly net: PrunableNet;
  readonly control = new RunControl();
  private readonly rng: Rng & { draws: number };
  /** Randomness of the random criterion, separate from the data order. */
  private readonly pruneRng: Rng & { draws: number };
  private readonly emit: EventSink;
  private stage: Stage = 'untrained';
  private cycle = 0;
  private busy = false;
  private globalEpoch = 0;
  private doc: Results;
  /** Iterations per epoch, floor(N / batchSize). */
  private readonly perEpoch: number;
  /** The dense run's schedule (lrMax, lrMin, T_orig), fixed by the config. */
  private readonly dense: DenseSchedule;
  /** The weights rewinding restores, once they exist. */
  private rewindPoint: Float32Array[] | null = null;
  /** Randomness of the BN recalibration batches, apart from the training order. */
  private readonly recalibrationRng: Rng & { draws: number };
  /** The data on the device, on GPU backends (else batches are built on the host). */
  private readonly resident: ResidentDataset | null;

  constructor(
    readonly config: ExperimentConfig,
    readonly data: ImageDataset,
    private readonly options: SessionOptions,
  ) {
    this.perEpoch = iterationsPerEpoch(data.train.count, config.batchSize); // validates it early
    this.dense = denseSchedule(config.lr, this.perEpoch, config.denseEpochs);
    this.emit = options.onEvent ?? (() => {});
    this.rng = countingRng(deriveSeed(config.seed, 'data-order'));
    this.pruneRng = countingRng(deriveSeed(config.seed, 'prune'));
    this.recalibrationRng = countingRng(deriveSeed(config.seed, 'bn-recalibration'));
    this.resident =
      (options.residentData ?? prefersResidentData()) ? new ResidentDataset(data) : null;
    this.net = new PrunableNet(
      buildModel(config.model, config.seed, data.imageShape, data.numClasses),
    );
    const layerNames = this.net.kernels.map((k) => k.name);
    for (const name of Object.keys(config.layerOverrides)) {
      if (!layerNames.includes(name)) {
        this.net.dispose();
        this.resident?.dispose();
        throw new Error(
          `layerOverrides: ${config.model} has no prunable layer "${name}" (its layers: ${layerNames.join(', ')})`,
        );
      }
    }
    this.doc = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      config,
      environment: {
        backend: tf.getBackend(),
        adapter: options.adapter ?? null,
        tfjsVersion: tf.version.tfjs,
        runtime: options.runtime,
        startedAt: new Date().toISOString(),
        computeTimeMs: 0,
      },
      model: {
        name: config.model,
        totalParams: this.net.totalParams,
        prunableParams: this.net.prunableParams,
        layers: this.net.layerStats(),
      },
      dense: null,
      gmp: null,
      cycles: [],
    };
  }

  get status(): SessionStatus {
    if (this.gmp) {
      return { stage: this.stage, cycle: 0, cycles: 0, done: this.stage === 'trained' };
    }
    const { cycles } = this.config;
    return {
      stage: this.stage,
      cycle: this.cycle,
      cycles,
      done: this.cycle === cycles && this.stage === 'retrained',
    };
  }

  private get gmp(): boolean {
    return this.config.regime === 'gmp';
  }

  /** A deep copy of the results so far. */
  get results(): Results {
    return structuredClone(this.doc);
  }

  pause(): void {
    this.control.pause();
  }

  resume(): void {
    this.control.resume();
  }

  /** Stops the running operation at its next batch; the session must then be disposed. */
  abort(): void {
    this.control.abort();
  }

  /** The state at the last checkpoint (call between operations, at a cycle's end). */
  async checkpoint(): Promise<SessionCheckpoint> {
    if (this.stage !== 'trained' && this.stage !== 'retrained') {
      throw new Error('A checkpoint is taken after dense training or a whole cycle.');
    }
    return {
      results: this.results,
      stage: this.stage,
      cycle: this.cycle,
      globalEpoch: this.globalEpoch,
      weights: await this.net.snapshot(),
      masks: this.net.masks.map((m) => m.slice()),
      rewindPoint: this.rewindPoint && this.rewindPoint.map((w) => w.slice()),
      draws: {
        dataOrder: this.rng.draws,
        prune: this.pruneRng.draws,
        bnRecalibration: this.recalibrationRng.draws,
      },
    };
  }

  /** Continues from `checkpoint` (of a session with the same config); a fresh session only. */
  restore(checkpoint: SessionCheckpoint): void {
    if (this.stage !== 'untrained') throw new Error('Only a fresh session can be restored.');
    // Both parsed: a checkpoint saved before a setting existed has that setting's default.
    if (!sameConfig(checkpoint.results.config, this.config)) {
      throw new Error('The checkpoint belongs to other settings.');
    }
    this.net.setMasks(checkpoint.masks);
    this.net.restore(checkpoint.weights);
    this.rewindPoint = checkpoint.rewindPoint;
    const skipTo = (rng: Rng & { draws: number }, draws: number) => {
      while (rng.draws < draws) rng();
    };
    skipTo(this.rng, checkpoint.draws.dataOrder);
    skipTo(this.pruneRng, checkpoint.draws.prune);
    skipTo(this.recalibrationRng, checkpoint.draws.bnRecalibration);
    this.stage = checkpoint.stage;
    this.cycle = checkpoint.cycle;
    this.globalEpoch = checkpoint.globalEpoch;
    this.doc = { ...structuredClone(checkpoint.results), config: this.config };
    this.emit({ type: 'results', results: this.results });
    this.emit({ type: 'status', status: this.status });
  }

  dispose(): void {
    this.net.dispose();
    this.resident?.dispose();
  }

  /**
   * Keeps a layer sensitivity analysis (of one of this run's states) in the results, in place
   * of an earlier one of the same state. Changes nothing else; callable while a command runs.
   */
  recordSensitivity(record: SensitivityRecord): void {
    const others = (this.doc.sensitivity ?? []).filter((r) => r.cycle !== record.cycle);
    this.doc.sensitivity = [...others, structuredClone(record)].sort((a, b) => a.cycle - b.cycle);
    this.emit({ type: 'results', results: this.results });
  }

  /** Test accuracy and loss, and the validation accuracy where images are held out. */
  private async evaluateTest(): Promise<Evaluation> {
    const test = await evaluate(
      this.net,
      this.data,
      this.data.test,
      1000,
      this.resident?.test ?? null,
    );
    if (!this.data.validation) return test;
    const validation = await evaluate(this.net, this.data, this.data.validation, 1000, null);
    return { ...test, validationAccuracy: validation.testAccuracy };
  }

  /** Dense training for `denseEpochs` epochs under the dense schedule. */
  trainDense(): Promise<Results> {
    return this.exclusive('train dense', async () => {
      if (this.stage !== 'untrained') throw new Error('The dense network is already trained.');
      const { lrMax, lrMin, iterations } = this.dense;
      const rates = denseRates(this.dense);
      const lrSchedule = Array.from(rates);
      const { rewind, rewindEpoch } = this.config;
      if (rewind === 'init' && !this.gmp) this.rewindPoint = await this.net.snapshot();
      const epochs: EpochRecord[] = [];
      await this.runPhase(
        'dense',
        0,
        this.config.denseEpochs,
        (t) => rates[t]!,
        async (record) => {
          epochs.push(record);
          const final = evaluationOf(record);
          this.doc.dense = { iterations, lrMax, lrMin, lrSchedule, final, epochs };
          if (rewind === 'epoch' && !this.gmp && record.epoch === rewindEpoch) {
            this.rewindPoint = await this.net.snapshot();
          }
        },
        this.gmp ? this.gmpPruner() : undefined,
      );
      this.stage = 'trained';
    });
  }

  /** Prunes the next cycle's share of the surviving weights with the configured criterion. */
  prune(): Promise<Results> {
    return this.exclusive('prune', async () => {
      if (this.gmp) throw new Error('GMP prunes during training; it has no prune cycles.');
      if (this.stage === 'untrained') throw new Error('Train the dense network before pruning.');
      if (this.stage === 'pruned')
        throw new Error(`Retrain cycle ${this.cycle} before pruning again.`);
      if (this.cycle >= this.config.cycles) {
        throw new Error(`All ${this.config.cycles} cycles are done; Reset to start again.`);
      }
      const cycle = this.cycle + 1;
      this.emit({ type: 'progress', phase: 'prune', cycle, fraction: null });
      const { targetSparsity, cycles } = this.config;
      const fraction = pruneFractionPerCycle(targetSparsity, cycles);
      const planned = plannedSparsity(targetSparsity, cycles, cycle);
      const before = await this.net.kernelValues();
      const normBefore = await this.net.squaredNorm();
      const masksBefore = this.net.masks;
      const { masks, pruned } = this.pruneStep(before, fraction, planned, cycle, cycles);
      const normAfter = await this.net.squaredNorm();
      const afterPrune = await this.evaluateTest();
      const after = before.map((w, l) => w.map((v, i) => (masks[l]![i] ? v : 0)));
      let afterRecalibration = null;
      if (this.config.bnRecalibration && hasBatchNorm(this.net.model)) {
        recalibrateBatchNorm(
          this.net.model,
          this.data,
          this.config.batchSize,
          BN_RECALIBRATION_BATCHES,
          this.recalibrationRng,
        );
        afterRecalibration = await this.evaluateTest();
      }
      let afterRewind = null;
      if (this.rewindPoint) {
        this.net.restore(this.rewindPoint);
        afterRewind = await this.evaluateTest();
      }
      const record: CycleRecord = {
        cycle,
        plannedSparsity: planned,
        sparsity: this.net.sparsity(),
        pruneFraction: fraction,
        pruned,
        // Per layer, with the cut this prune made there (largest |w| removed, smallest kept).
        layers: this.net
          .layerStats()
          .map((stats, l) => ({ ...stats, ...layerCut(before[l]!, masksBefore[l]!, masks[l]!) })),
        afterPrune,
        afterRetrain: null,
        afterRecalibration,
        afterRewind,
        report: this.report(before, after, masks, afterPrune.testAccuracy),
        paramNormDrop:
          normBefore > 0 ? Math.sqrt(Math.abs(normBefore - normAfter)) / Math.sqrt(normBefore) : 0,
        retrainIterations: 0,
        epochs: [],
      };
      this.doc.cycles.push(record);
      this.cycle = cycle;
      this.stage = 'pruned';
    });
  }

  /** Retrains the just-pruned network for `retrainEpochs` epochs under the chosen schedule. */
  retrain(): Promise<Results> {
    return this.exclusive('retrain', async () => {
      if (this.stage !== 'pruned') throw new Error('Prune before retraining.');
      const record = this.doc.cycles[this.doc.cycles.length - 1]!;
      const epochs = this.config.retrainEpochs;
      if (epochs > 0) {
        const rates = this.retrainRates();
        record.retrainIterations = rates.length;
        record.lrSchedule = Array.from(rates);
        this.emit({ type: 'results', results: this.results });
        await this.runPhase(
          'retrain',
          this.cycle,
          epochs,
          (t) => rates[t]!,
          async (epoch) => {
            record.epochs.push(epoch);
            record.afterRetrain = evaluationOf(epoch);
          },
        );
      }
      this.stage = 'retrained';
    });
  }

  /** One step of the experiment: dense training first, then one prune + retrain cycle. */
  async stepCycle(): Promise<Results> {
    if (this.stage === 'untrained') return this.trainDense();
    if (this.stage !== 'pruned') await this.prune();
    return this.retrain();
  }

  /** Everything that is left: dense training if needed, then the remaining cycles. */
  async runAll(): Promise<Results> {
    let results = this.results;
    while (!this.status.done) results = await this.stepCycle();
    return results;
  }

  /** The compression report of the prune that turned `before` into `after`. */
  private report(
    before: Float32Array[],
    after: Float32Array[],
    masks: Uint8Array[],
    accAfterPrune: number,
  ): CompressionReport {
    const layers = layerReports(
      this.net.kernels.map((k) => ({ name: k.name, shape: k.shape, outputSize: k.outputSize })),
      masks,
      before,
      after,
    );
    const sum = (
      key:
        | 'flopsDense'
        | 'flopsSparse'
        | 'storageDenseBytes'
        | 'storageBitmaskBytes'
        | 'storageCsrBytes',
    ) => layers.reduce((a, l) => a + l[key], 0);
    const flopsSparse = sum('flopsSparse');
    const previous = this.doc.cycles.at(-1);
    const accBefore = (
      previous ? (previous.afterRetrain ?? previous.afterPrune) : this.doc.dense!.final
    ).testAccuracy;
    return {
      layers,
      total: {
        flopsDense: sum('flopsDense'),
        flopsSparse,
        speedup: flopsSparse > 0 ? sum('flopsDense') / flopsSparse : 0,
        storageDenseBytes: sum('storageDenseBytes'),
        storageBitmaskBytes: sum('storageBitmaskBytes'),
        storageCsrBytes: sum('storageCsrBytes'),
        normDrop: relativeNormDrop(before, after),
      },
      instability: pruningInstability(accBefore, accAfterPrune),
    };
  }

  /**
   * One prune with the configured criterion and overrides: `fraction` of the survivors (global
   * criteria), or down to `planned` overall (layer-wise ones); step `cycle` of `cycles` for the
   * pinned layers' own schedules. Installs and returns the new masks.
   */
  private pruneStep(
    weights: Float32Array[],
    fraction: number,
    planned: number,
    cycle: number,
    cycles: number,
  ) {
    const result = pruneWithOverrides(
      CRITERION_REGISTRY[this.config.criterion],
      {
        weights,
        masks: this.net.masks,
        shapes: this.net.kernels.map((k) => k.shape),
        fraction,
        targetSparsity: planned,
        rng: this.pruneRng,
      },
      {
        names: this.net.kernels.map((k) => k.name),
        overrides: this.config.layerOverrides,
        cycle,
        cycles,
      },
    );
    this.net.setMasks(result.masks);
    return result;
  }

  /**
   * The rate of every iteration of the next retraining (core/schedules/rates.ts); ALLR reads
   * the last prune's effect: d over all weights and biases, s the cycle's pruned fraction.
   */
  private retrainRates(): Float64Array {
    const last = this.doc.cycles.at(-1);
    const effect: PruneEffect | undefined = last && {
      normDrop: last.paramNormDrop ?? last.report.total.normDrop,
      pruneFraction: last.pruneFraction,
    };
    return retrainRates(this.config.retrainSchedule, {
      dense: this.dense,
      iterations: this.perEpoch * this.config.retrainEpochs,
      epochs: this.config.retrainEpochs,
      effect,
    });
  }

  /**
   * GMP's hook before each training iteration: at t_0 + k dt the network is pruned to s_t
   * with the configured criterion (k = round(...) survivors exactly, as in IMP).
   */
  private gmpPruner(): (t: number) => Promise<void> {
    const { targetSparsity, gmpStart, gmpEnd, gmpEvery } = this.config;
    const plan: GmpPlan = gmpPlan(
      this.dense.iterations,
      targetSparsity,
      gmpStart,
      gmpEnd,
      gmpEvery,
    );
    const record: GmpRecord = {
      start: plan.start,
      every: plan.every,
      steps: plan.steps,
      pruneSteps: [],
    };
    this.doc.gmp = record;
    const total = this.net.prunableParams;
    return async (t) => {
      if (!isGmpStep(plan, t)) return;
      const planned = gmpSparsity(plan, t);
      const alive = this.net.masks.reduce((a, m) => a + countAlive(m), 0);
      const keep = roundHalfEven((1 - planned) * total);
      if (keep < alive) {
        const step = (t - plan.start) / plan.every;
        const weights = await this.net.kernelValues();
        this.pruneStep(weights, 1 - keep / alive, planned, step, Math.max(1, plan.steps));
      }
      record.pruneSteps.push({
        iteration: t,
        plannedSparsity: planned,
        sparsity: this.net.sparsity(),
        layers: this.net.layerStats().map((l) => l.sparsity),
      });
    };
  }

  private async runPhase(
    phase: Exclude<Phase, 'load' | 'prune'>,
    cycle: number,
    epochs: number,
    lr: (t: number) => number,
    onRecord: (record: EpochRecord) => Promise<void>,
    beforeStep?: (t: number) => Promise<void>,
  ): Promise<void> {
    await trainPhase({
      net: this.net,
      data: this.data,
      epochs,
      batchSize: this.config.batchSize,
      weightDecay: this.config.weightDecay,
      lr,
      rng: this.rng,
      control: this.control,
      // The paper's CIFAR augmentation, where the data set has it and the config asks for it.
      augment: this.config.augment && DATASET_REGISTRY[this.config.dataset].augments === true,
      resident: this.resident,
      beforeStep,
      progressEveryMs: this.options.progressEveryMs ?? 150,
      onProgress: (p) =>
        this.emit({
          type: 'progress',
          phase,
          cycle,
          fraction: p.iteration / p.iterations,
          epoch: p.epoch,
          epochs,
          iteration: p.iteration,
          iterations: p.iterations,
          lr: p.lr,
        }),
      onEpochEnd: async ({ epoch, trainLoss, lr }) => {
        const evaluation = await this.evaluateTest();
        this.globalEpoch += 1;
        await onRecord({
          phase,
          cycle,
          epoch,
          globalEpoch: this.globalEpoch,
          trainLoss,
          ...evaluation,
          lr,
          sparsity: this.net.sparsity(),
        });
        this.emit({ type: 'results', results: this.results });
      },
    });
  }

  private async exclusive(what: string, body: () => Promise<void>): Promise<Results> {
    if (this.busy) throw new BusyError(what);
    this.busy = true;
    const start = performance.now();
    try {
      await body();
      if (this.stage === 'trained' || this.stage === 'retrained') {
        await this.options.onCheckpoint?.(this.cycle, this.net);
      }
    } finally {
      this.busy = false;
      this.doc.environment.computeTimeMs += performance.now() - start;
    }
    const results = this.results;
    this.emit({ type: 'results', results });
    this.emit({ type: 'status', status: this.status });
    return results;
  }
}

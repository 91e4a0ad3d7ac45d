/**
 * The training loop and evaluation. Batches are built on the host from a seeded permutation
 * (a fresh one each epoch, the partial last batch dropped so every batch has the same shape),
 * the loss is read back only when progress is reported, and each step runs in one tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../data/augment';
import { fillBatch, normalisation, type ImageDataset, type ImageSplit } from '../data/dataset';
import { permutation, type Rng } from '../data/rng';
import type { Evaluation } from '../schema/results';
import { MaskedSgd } from './masked-sgd';
import type { PrunableNet } from './prunable-net';
import type { ResidentDataset, ResidentSplit } from './resident-data';
import type { RunControl } from './run-control';
import { iterationsPerEpoch as perEpoch } from '../core/schedules/dense';
import { softmaxCrossEntropy } from './fused-loss';

/** Iterations per epoch (core's floor(N / B), at least 1); refuses a batch larger than N. */
export function iterationsPerEpoch(trainCount: number, batchSize: number): number {
  if (batchSize > trainCount) {
    throw new Error(
      `Batch size ${batchSize} is larger than the training set (${trainCount} images): set Batch size to ${trainCount} or less.`,
    );
  }
  return perEpoch(trainCount, batchSize);
}

/** A non-trainable scalar variable holding 0 (its initial tensor freed by tidy). */
const zeroScalar = () => tf.tidy(() => tf.variable(tf.scalar(0), false));

/**
 * One masked SGD step on a batch: loss, gradients of every parameter, update. Used by the
 * training loop and by the throughput probe, so both time the same work.
 */
export class TrainStep {
  private readonly optimizer: MaskedSgd;
  private readonly maskFor: (v: tf.Variable) => tf.Tensor | null;

  constructor(
    private readonly net: PrunableNet,
    private readonly classes: number,
    weightDecay: number,
  ) {
    this.optimizer = new MaskedSgd(weightDecay);
    this.maskFor = (v) => net.maskFor(v);
  }

  /** Trains on (x, y) at rate lr; returns the batch's mean loss (a scalar the caller disposes). */
  run(x: tf.Tensor4D, y: tf.Tensor1D, lr: number): tf.Scalar {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () =>
          softmaxCrossEntropy(
            this.net.model.apply(x, { training: true }) as tf.Tensor,
            y,
            this.classes,
          ),
        this.net.params,
      );
      this.optimizer.apply(this.net.params, grads, lr, this.maskFor);
      return value;
    });
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** The learning rate of iteration t (0-based) of a phase. */
export type LrFunction = (t: number) => number;

export interface PhaseProgress {
  /** 1-based epoch within the phase. */
  epoch: number;
  /** Iterations done in the phase so far. */
  iteration: number;
  iterations: number;
  lr: number;
}

export interface EpochSummary {
  epoch: number;
  trainLoss: number;
  lr: number;
}

export interface TrainPhaseOptions {
  net: PrunableNet;
  data: ImageDataset;
  epochs: number;
  batchSize: number;
  weightDecay: number;
  lr: LrFunction;
  rng: Rng;
  control: RunControl;
  /**
   * Augment each training batch as the paper's code does for CIFAR (src/data/augment.ts),
   * drawing from `rng`; the batches are then filled on the host even where data is resident.
   */
  augment?: boolean;
  /** Device-resident copies of the data (GPU backends); batches are then gathered there. */
  resident?: ResidentDataset | null;
  /** Called about every `progressEveryMs` with where the phase stands. */
  onProgress?: (progress: PhaseProgress) => void;
  progressEveryMs?: number;
  /** Called (awaited) before iteration t of the phase, e.g. to prune during training. */
  beforeStep?: (t: number) => Promise<void>;
  /** Called after each epoch (awaited), e.g. to evaluate and report it. */
  onEpochEnd?: (summary: EpochSummary) => Promise<void>;
}

/** Trains `net` for `epochs` epochs with masked SGD under the schedule `lr(t)`. */
export async function trainPhase(options: TrainPhaseOptions): Promise<void> {
  const { net, data, epochs, batchSize, control } = options;
  const perEpoch = iterationsPerEpoch(data.train.count, batchSize);
  const iterations = perEpoch * epochs;
  const [h, w, c] = data.imageShape;
  const xBuffer = new Float32Array(batchSize * h * w * c);
  const yBuffer = new Int32Array(batchSize);
  const step = new TrainStep(net, data.numClasses, options.weightDecay);
  const lossSum = zeroScalar();
  const everyMs = options.progressEveryMs ?? 100;
  // Padding is a 0 pixel after normalisation: −mean/std per channel.
  const padValue = normalisation(data).shift.map((s) => -s);
  let lastReport = 0;
  let t = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = permutation(data.train.count, options.rng);
      tf.tidy(() => lossSum.assign(tf.zerosLike(lossSum)));
      let lr = 0;
      for (let b = 0; b < perEpoch; b++, t++) {
        await control.checkpoint();
        if (options.beforeStep) await options.beforeStep(t);
        lr = options.lr(t);
        const resident = options.augment ? undefined : options.resident?.train;
        if (!resident) {
          fillBatch(data, data.train, order, b * batchSize, batchSize, xBuffer, yBuffer);
          if (options.augment) {
            augmentBatch(xBuffer, batchSize, data.imageShape, padValue, options.rng);
          }
        }
        tf.tidy(() => {
          const { x, y } = resident
            ? resident.batch(Int32Array.from(order.subarray(b * batchSize, (b + 1) * batchSize)))
            : {
                x: tf.tensor4d(xBuffer, [batchSize, h, w, c]),
                y: tf.tensor1d(yBuffer, 'int32'),
              };
          lossSum.assign(tf.add(lossSum, step.run(x, y, lr)));
        });
        const now = Date.now();
        if (options.onProgress && now - lastReport >= everyMs) {
          lastReport = now;
          options.onProgress({ epoch, iteration: t + 1, iterations, lr });
        }
      }
      const trainLoss = (await lossSum.data())[0]! / perEpoch;
      options.onProgress?.({ epoch, iteration: t, iterations, lr });
      await options.onEpochEnd?.({ epoch, trainLoss, lr });
    }
  } finally {
    step.dispose();
    lossSum.dispose();
  }
}

/** Test accuracy and mean cross-entropy of `net` on `split`, in batches of `batchSize`. */
export async function evaluate(
  net: PrunableNet,
  data: ImageDataset,
  split: ImageSplit = data.test,
  batchSize = 1000,
  resident: ResidentSplit | null = null,
): Promise<Evaluation> {
  const [h, w, c] = data.imageShape;
  const order = new Uint32Array(split.count).map((_, i) => i);
  const correct = zeroScalar();
  const lossTotal = zeroScalar();
  try {
    for (let start = 0; start < split.count; start += batchSize) {
      const n = Math.min(batchSize, split.count - start);
      const xBuffer = resident ? null : new Float32Array(n * h * w * c);
      const yBuffer = new Int32Array(n);
      if (xBuffer) fillBatch(data, split, order, start, n, xBuffer, yBuffer);
      tf.tidy(() => {
        const { x, y: labels } = resident
          ? resident.batch(Int32Array.from(order.subarray(start, start + n)))
          : { x: tf.tensor4d(xBuffer!, [n, h, w, c]), y: tf.tensor1d(yBuffer, 'int32') };
        const logits = net.model.predict(x) as tf.Tensor2D;
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
        const loss = tf.losses.softmaxCrossEntropy(
          tf.oneHot(labels, data.numClasses),
          logits,
          undefined,
          undefined,
          tf.Reduction.SUM,
        );
        correct.assign(tf.add(correct, hits));
        lossTotal.assign(tf.add(lossTotal, loss));
      });
    }
    const [hits, loss] = await Promise.all([correct.data(), lossTotal.data()]);
    return { testAccuracy: hits[0]! / split.count, testLoss: loss[0]! / split.count };
  } finally {
    correct.dispose();
    lossTotal.dispose();
  }
}

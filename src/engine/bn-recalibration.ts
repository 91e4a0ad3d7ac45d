/**
 * Batch-norm recalibration after pruning: the running mean and variance of every BN layer are
 * replaced by the average of the batch statistics over `batches` training batches, with the
 * weights unchanged. Batch i (1-based) is folded in with Keras momentum (i - 1) / i, so after
 * the pass the running value is the plain mean over the batches (of the batch means, and of
 * the biased batch variances).
 */
import * as tf from '@tensorflow/tfjs';
import { fillBatch, type ImageDataset } from '../data/dataset';
import { permutation, type Rng } from '../data/rng';

/** The BN layers of `model`; tfjs keeps their momentum in a field the typings hide. */
function batchNormLayers(model: tf.LayersModel): { momentum: number }[] {
  return model.layers.filter((l) => l.getClassName() === 'BatchNormalization') as unknown as {
    momentum: number;
  }[];
}

export function hasBatchNorm(model: tf.LayersModel): boolean {
  return batchNormLayers(model).length > 0;
}

/** Recomputes BN running statistics over `batches` batches drawn in a seeded order. */
export function recalibrateBatchNorm(
  model: tf.LayersModel,
  data: ImageDataset,
  batchSize: number,
  batches: number,
  rng: Rng,
): number {
  const layers = batchNormLayers(model);
  if (layers.length === 0) return 0;
  const saved = layers.map((l) => l.momentum);
  const [h, w, c] = data.imageShape;
  const n = Math.min(batches, Math.floor(data.train.count / batchSize));
  const order = permutation(data.train.count, rng);
  const x = new Float32Array(batchSize * h * w * c);
  const y = new Int32Array(batchSize);
  try {
    for (let i = 1; i <= n; i++) {
      for (const layer of layers) layer.momentum = (i - 1) / i;
      fillBatch(data, data.train, order, (i - 1) * batchSize, batchSize, x, y);
      tf.tidy(() => {
        model.apply(tf.tensor4d(x, [batchSize, h, w, c]), { training: true });
      });
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = saved[i]!));
  }
  return n;
}

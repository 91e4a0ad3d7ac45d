import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../data/rng';
import {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  FUSED_BATCH_NORM_FLAG,
  batchNormalization,
} from './batch-norm';
import { labKernels, setWasmBackend } from './kernels/lab-kernels';
import { registerWasmTrainingKernels } from './kernels/wasm-training';
import { expectClose } from '../test/expect-close';

const random = (size: number, seed: number, shift = 0) => {
  const rng = makeRng(seed);
  return Float32Array.from({ length: size }, () => (rng() * 2 - 1) * 3 + shift);
};

interface Outcome {
  y: Float32Array;
  dx: Float32Array;
  dgamma: Float32Array;
  dbeta: Float32Array;
  movingMean: Float32Array;
  movingVariance: Float32Array;
  kernels: string[];
}

/**
 * One training call of a batch-norm layer on `shape` (gamma and beta set away from 1 and 0), the
 * gradients of sum(y * r) and the moving statistics after it, on the current backend.
 * `tfjs` uses tfjs's own layer; otherwise the lab's.
 */
async function trainingCall(shape: number[], tfjs: boolean): Promise<Outcome> {
  const c = shape[shape.length - 1]!;
  const size = shape.reduce((a, b) => a * b, 1);
  const args = { momentum: 0.9, epsilon: 1e-5 };
  const layer = tfjs ? tf.layers.batchNormalization(args) : batchNormalization(args);
  layer.build(shape);
  layer.setWeights([
    tf.tensor1d(random(c, 7, 1)), // gamma
    tf.tensor1d(random(c, 8)), // beta
    tf.tensor1d(random(c, 9)), // moving mean
    tf.tensor1d(random(c, 10, 4)), // moving variance
  ]);
  // Channels with different means and spreads, as after a convolution.
  const x = tf
    .tensor(random(size, 1), shape)
    .mul(tf.tensor1d(random(c, 2, 4)))
    .add(2);
  const r = tf.tensor(random(size, 3), shape);
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  let y: Float32Array | undefined;
  const profile = await tf.profile(() => {
    const { grads } = tf.variableGrads(() => {
      const out = layer.apply(x, { training: true }) as tf.Tensor;
      y = out.dataSync() as Float32Array;
      return tf.sum(tf.mul(out, r)) as tf.Scalar;
    }, [gamma!, beta!]);
    const dx = tf.grad((a: tf.Tensor) => {
      return tf.sum(tf.mul(layer.apply(a, { training: true }) as tf.Tensor, r));
    })(x);
    return [dx, grads[gamma!.name]!, grads[beta!.name]!];
  });
  const [dx, dgamma, dbeta] = profile.result as tf.Tensor[];
  // Two training calls ran: the moving statistics moved twice.
  const [, , movingMean, movingVariance] = layer.getWeights();
  const out = {
    y: y!,
    dx: dx!.dataSync() as Float32Array,
    dgamma: dgamma!.dataSync() as Float32Array,
    dbeta: dbeta!.dataSync() as Float32Array,
    movingMean: movingMean!.dataSync() as Float32Array,
    movingVariance: movingVariance!.dataSync() as Float32Array,
    kernels: profile.kernels.map((k) => k.name),
  };
  tf.dispose([x, r, dx!, dgamma!, dbeta!]);
  layer.weights.forEach((w) => w.dispose());
  return out;
}

describe('fused batch norm (WASM)', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await setWasmBackend();
  });
  afterAll(() => tf.setBackend('cpu'));

  it.each([
    [[6, 4]], // a dense layer's batch, fewer rows than a summation block
    [[3, 7, 5, 8]],
    [[16, 9, 9, 16]], // 1,296 rows: several blocks of 256 and a partial one
    [[8, 8, 8, 64]],
  ])(
    'a training call on %j gives tfjs´s outputs, gradients and moving statistics',
    async (shape) => {
      await tf.setBackend('cpu');
      const reference = await trainingCall(shape, true);
      await setWasmBackend();
      const fused = await trainingCall(shape, false);
      expect(labKernels()).not.toBeNull();
      // The fused kernels ran (so this compares them), and no Tile of the per-channel vectors.
      expect(fused.kernels).toContain(BATCH_NORM_TRAIN);
      expect(fused.kernels).toContain(BATCH_NORM_TRAIN_GRAD);
      expect(fused.kernels).not.toContain('Tile');
      expect(reference.kernels).toContain('Tile');
      expectClose(fused.y, reference.y);
      expectClose(fused.dx, reference.dx);
      expectClose(fused.dgamma, reference.dgamma);
      expectClose(fused.dbeta, reference.dbeta);
      expectClose(fused.movingMean, reference.movingMean);
      expectClose(fused.movingVariance, reference.movingVariance);
    },
  );

  it('leaves a channel count that is not a multiple of 4, and inference, to tfjs´s layer', async () => {
    const fused = await trainingCall([2, 3, 3, 6], false);
    expect(fused.kernels).not.toContain(BATCH_NORM_TRAIN);
    const layer = batchNormalization({});
    const profile = await tf.profile(
      () => layer.apply(tf.ones([2, 3, 3, 8]), { training: false }) as tf.Tensor,
    );
    expect(profile.kernels.map((k) => k.name)).not.toContain(BATCH_NORM_TRAIN);
    tf.dispose(profile.result as tf.Tensor);
    layer.weights.forEach((w) => w.dispose());
  });

  it('gives way to tfjs´s layer, with the same numbers, when its flag is off (for the bench)', async () => {
    const fused = await trainingCall([4, 5, 5, 8], false);
    tf.env().set(FUSED_BATCH_NORM_FLAG, false);
    try {
      const plain = await trainingCall([4, 5, 5, 8], false);
      expect(plain.kernels).not.toContain(BATCH_NORM_TRAIN);
      expect(plain.kernels).toContain('Tile');
      expectClose(fused.dx, plain.dx);
      expectClose(fused.movingVariance, plain.movingVariance);
    } finally {
      tf.env().set(FUSED_BATCH_NORM_FLAG, true);
    }
  });

  it('serialises as tfjs´s BatchNormalization', () => {
    const layer = batchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-5 });
    expect(layer.getClassName()).toBe('BatchNormalization');
    expect(layer.getConfig()).toEqual(
      tf.layers.batchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-5 }).getConfig(),
    );
  });
});

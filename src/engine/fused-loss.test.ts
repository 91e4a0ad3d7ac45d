import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../data/rng';
import { FUSED_LOSS_FLAG, SOFTMAX_CROSS_ENTROPY, softmaxCrossEntropy } from './fused-loss';
import { setWasmBackend } from './kernels/lab-kernels';
import { registerWasmTrainingKernels } from './kernels/wasm-training';

const logitsOf = (n: number, k: number, seed: number, spread = 4) => {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n * k }, () => (rng() * 2 - 1) * spread);
};

interface Outcome {
  loss: number;
  grad: Float32Array;
  kernels: string[];
}

/** The loss and d(3 loss)/d logits on the current backend, and the kernels that ran. */
async function lossAndGrad(values: Float32Array, labels: number[], k: number): Promise<Outcome> {
  const n = labels.length;
  const z = tf.tensor2d(values, [n, k]);
  const y = tf.tensor1d(labels, 'int32');
  let loss = 0;
  const profile = await tf.profile(() =>
    tf.grad((a: tf.Tensor) => {
      const l = softmaxCrossEntropy(a, y, k);
      loss = l.dataSync()[0]!;
      return tf.mul(l, 3);
    })(z),
  );
  const grad = (profile.result as tf.Tensor).dataSync() as Float32Array;
  tf.dispose([z, y, profile.result as tf.Tensor]);
  return { loss, grad, kernels: profile.kernels.map((k) => k.name) };
}

/** The same from the definition, in float64: mean(logsumexp(z) - z[label]). */
function reference(values: Float32Array, labels: number[], k: number) {
  const n = labels.length;
  let loss = 0;
  const grad = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = Array.from(values.subarray(i * k, (i + 1) * k));
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    const c = labels[i]!;
    if (c >= 0 && c < k) loss += Math.log(sum) + max - row[c]!;
    row.forEach((v, j) => {
      grad[i * k + j] = (3 / n) * (Math.exp(v - max) / sum - (j === c ? 1 : 0));
    });
  }
  return { loss: loss / n, grad };
}

/** |a - b| within `tolerance` of b's magnitude (at least 1): float32 keeps about 7 digits. */
const expectNear = (a: number, b: number, tolerance = 1e-6) =>
  expect(Math.abs(a - b)).toBeLessThan(tolerance * Math.max(1, Math.abs(b)));

describe('the fused training loss (WASM)', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await setWasmBackend();
  });
  afterAll(() => tf.setBackend('cpu'));

  it.each([
    ['LeNet-5 batch', 64, 10, 4],
    ['large logits (the maximum must come off first)', 5, 10, 200],
    ['three classes', 7, 3, 4],
  ] as const)('%s: loss and gradient as defined and as tfjs computes them', async (_, n, k, s) => {
    const values = logitsOf(n, k, n + k, s);
    const labels = Array.from({ length: n }, (_, i) => (i * 7) % k);
    const expected = reference(values, labels, k);
    const fused = await lossAndGrad(values, labels, k);
    expect(fused.kernels).toContain(SOFTMAX_CROSS_ENTROPY);
    expectNear(fused.loss, expected.loss);
    fused.grad.forEach((g, i) => expect(g).toBeCloseTo(expected.grad[i]!, 6));
    tf.env().set(FUSED_LOSS_FLAG, false);
    try {
      const tfjs = await lossAndGrad(values, labels, k);
      expect(tfjs.kernels).not.toContain(SOFTMAX_CROSS_ENTROPY);
      expect(tfjs.kernels.length).toBeGreaterThan(fused.kernels.length + 20);
      expectNear(fused.loss, tfjs.loss, 1e-5);
      // tfjs's float32 exponentials are the coarser ones: within 5e-6 of the float64 sums.
      fused.grad.forEach((g, i) => expect(g).toBeCloseTo(tfjs.grad[i]!, 5));
    } finally {
      tf.env().set(FUSED_LOSS_FLAG, true);
    }
  });

  it('a label outside the classes is an all-zero one-hot row, as tf.oneHot makes it', async () => {
    const values = logitsOf(4, 5, 9);
    const labels = [0, 7, -1, 4];
    const fused = await lossAndGrad(values, labels, 5);
    tf.env().set(FUSED_LOSS_FLAG, false);
    try {
      const tfjs = await lossAndGrad(values, labels, 5);
      expectNear(fused.loss, tfjs.loss, 1e-5);
      fused.grad.forEach((g, i) => expect(g).toBeCloseTo(tfjs.grad[i]!, 6));
    } finally {
      tf.env().set(FUSED_LOSS_FLAG, true);
    }
  });

  it('other backends keep tfjs’s loss', async () => {
    await tf.setBackend('cpu');
    try {
      const values = logitsOf(6, 10, 3);
      const labels = [1, 2, 3, 4, 5, 6];
      const cpu = await lossAndGrad(values, labels, 10);
      expect(cpu.kernels).not.toContain(SOFTMAX_CROSS_ENTROPY);
      expectNear(cpu.loss, reference(values, labels, 10).loss, 1e-5);
    } finally {
      await setWasmBackend();
    }
  });
});

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../data/rng';
import {
  CONV_BIAS_RELU,
  FUSED_LAYERS_FLAG,
  MATMUL_BIAS_RELU,
  RELU_BIAS_GRAD,
  conv2d,
  dense,
} from './fused-layers';
import { labKernels, setWasmBackend } from './kernels/lab-kernels';
import { registerWasmTrainingKernels } from './kernels/wasm-training';
import { expectClose } from '../test/expect-close';

const random = (size: number, seed: number) => {
  const rng = makeRng(seed);
  return Float32Array.from({ length: size }, () => rng() * 2 - 1);
};
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

type Layer = ReturnType<typeof tf.layers.conv2d>;

interface Outcome {
  y: Float32Array;
  /** dL/dx, then dL/d each weight (kernel, bias) of L = sum(layer(x) * r). */
  grads: Float32Array[];
  kernels: string[];
}

/** One training call of `make()` on x of `shape` (weights from a seed), on the current backend. */
async function trainingCall(make: () => Layer, shape: number[]): Promise<Outcome> {
  const layer = make();
  layer.build(shape);
  layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(random(w.size, 10 + i), w.shape)));
  const x = tf.tensor(random(size(shape), 1), shape);
  const outShape = layer.computeOutputShape(shape) as number[];
  const r = tf.tensor(random(size(outShape), 2), outShape);
  const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  let y: Float32Array = new Float32Array();
  const profile = await tf.profile(() => {
    const { grads } = tf.variableGrads(() => {
      const out = layer.apply(x, { training: true }) as tf.Tensor;
      y = out.dataSync() as Float32Array;
      return tf.sum(tf.mul(out, r)) as tf.Scalar;
    }, weights);
    const dx = tf.grad((a: tf.Tensor) =>
      tf.sum(tf.mul(layer.apply(a, { training: true }) as tf.Tensor, r)),
    )(x);
    return [dx, ...weights.map((w) => grads[w.name]!)];
  });
  const result = profile.result as tf.Tensor[];
  const outcome = {
    y,
    grads: result.map((t) => t.dataSync() as Float32Array),
    kernels: profile.kernels.map((k) => k.name),
  };
  tf.dispose([x, r, ...result]);
  layer.weights.forEach((w) => w.dispose());
  return outcome;
}

const layers: [string, number[], () => Layer][] = [
  [
    'conv 5x5 same, one input channel (LeNet-5 conv1)',
    [3, 12, 12, 1],
    () => conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
  ],
  [
    'conv 5x5 valid (LeNet-5 conv2)',
    [3, 9, 9, 6],
    () => conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
  ],
  [
    'conv 3x3 same (Winograd)',
    [2, 9, 7, 16],
    () => conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
  ],
  [
    'conv 3x3 stride 2, odd channels',
    [2, 9, 9, 3],
    () => conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
  ],
  ['dense', [7, 30], () => dense({ units: 12, activation: 'relu' }) as unknown as Layer],
  ['dense, 3 units', [5, 9], () => dense({ units: 3, activation: 'relu' }) as unknown as Layer],
];

describe('fused convolution and dense layers (training on WASM)', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await setWasmBackend();
  });
  afterAll(() => tf.setBackend('cpu'));

  it('run where the SIMD kernels do (so the cases below test them)', () => {
    expect(labKernels()).not.toBeNull();
  });

  it.each(layers)(
    '%s: output and gradients match the CPU backend, in two kernels',
    async (_, shape, make) => {
      await tf.setBackend('cpu');
      const reference = await trainingCall(make, shape);
      await setWasmBackend();
      const wasm = await trainingCall(make, shape);
      expectClose(wasm.y, reference.y);
      expect(wasm.y.some((v) => v === 0)).toBe(true); // the ReLU cuts somewhere
      expect(wasm.grads).toHaveLength(3);
      wasm.grads.forEach((g, i) => expectClose(g, reference.grads[i]!));
      const fused = shape.length === 4 ? CONV_BIAS_RELU : MATMUL_BIAS_RELU;
      expect(wasm.kernels).toContain(fused);
      expect(wasm.kernels).toContain(RELU_BIAS_GRAD);
      for (const unfused of ['Relu', 'Step', 'Add']) expect(wasm.kernels).not.toContain(unfused);
      expect(reference.kernels).not.toContain(fused);
    },
  );

  it('with the flag off (for the bench), and in inference, they are tfjs’s layers', async () => {
    const [, shape, make] = layers[1]!;
    const fused = await trainingCall(make, shape);
    tf.env().set(FUSED_LAYERS_FLAG, false);
    try {
      const plain = await trainingCall(make, shape);
      expect(plain.kernels).not.toContain(CONV_BIAS_RELU);
      expect(plain.kernels).toContain('Relu');
      expectClose(plain.y, fused.y);
      plain.grads.forEach((g, i) => expectClose(g, fused.grads[i]!));
    } finally {
      tf.env().set(FUSED_LAYERS_FLAG, true);
    }
    const layer = make();
    const x = tf.tensor(random(size(shape), 1), shape);
    const profile = await tf.profile(() => layer.apply(x) as tf.Tensor);
    expect(profile.kernels.map((k) => k.name)).not.toContain(CONV_BIAS_RELU);
    tf.dispose([x, profile.result as tf.Tensor]);
    layer.weights.forEach((w) => w.dispose());
  });

  it('layers without a bias or with a linear activation stay tfjs’s', async () => {
    for (const make of [
      () => conv2d({ filters: 4, kernelSize: 3, useBias: false, activation: 'relu' }),
      () => conv2d({ filters: 4, kernelSize: 3 }),
      () => dense({ units: 4 }) as unknown as Layer,
    ]) {
      const shape = make().getClassName() === 'Dense' ? [3, 6] : [2, 6, 6, 4];
      const { kernels } = await trainingCall(make, shape);
      expect(kernels).not.toContain(CONV_BIAS_RELU);
      expect(kernels).not.toContain(MATMUL_BIAS_RELU);
    }
  });

  it('serialise as tfjs’s Conv2D and Dense', () => {
    expect(conv2d({ filters: 2, kernelSize: 3 }).getClassName()).toBe('Conv2D');
    expect(dense({ units: 2 }).getClassName()).toBe('Dense');
  });
});

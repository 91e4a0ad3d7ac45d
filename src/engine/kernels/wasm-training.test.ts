import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../data/rng';
import { buildModel } from '../models';
import { labKernels, setWasmBackend } from './lab-kernels';
import { CONV_C1_FLAG, SIMD_FILTER_GRAD_FLAG, registerWasmTrainingKernels } from './wasm-training';
import {
  WINOGRAD_FLAG,
  WINOGRAD_MIN_CHANNELS,
  WINOGRAD_MIN_CHANNELS_FLAG,
  WINOGRAD_THREADED_MIN_CHANNELS,
} from './winograd';
import { expectClose } from '../../test/expect-close';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: [number, number];
  stride: [number, number];
  pad: Pad;
}

const random = (size: number, seed: number) => {
  const rng = makeRng(seed);
  return Float32Array.from({ length: size }, () => rng() * 2 - 1);
};

/** dL/dx and dL/dfilter of L = sum(conv2d(x, f) * r) on the current backend. */
function convGrads(c: Case, seed: number): { dx: Float32Array; df: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(random(c.n * c.h * c.w * c.ci, seed), [c.n, c.h, c.w, c.ci]);
    const f = tf.tensor4d(random(c.k[0] * c.k[1] * c.ci * c.co, seed + 1), [
      c.k[0],
      c.k[1],
      c.ci,
      c.co,
    ]);
    const outShape = tf.conv2d(x, f, c.stride, c.pad).shape;
    const r = tf.tensor(
      random(
        outShape.reduce((a, b) => a * b, 1),
        seed + 2,
      ),
      outShape,
    );
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
    )([x, f]);
    return { dx: dx!.dataSync() as Float32Array, df: df!.dataSync() as Float32Array };
  });
}

const cases: Case[] = [
  // The LeNet-5 layers.
  { n: 8, h: 28, w: 28, ci: 1, co: 6, k: [5, 5], stride: [1, 1], pad: 'same' },
  { n: 8, h: 14, w: 14, ci: 6, co: 16, k: [5, 5], stride: [1, 1], pad: 'valid' },
  // Strides, odd sizes, non-square kernels, explicit and asymmetric padding.
  { n: 3, h: 13, w: 11, ci: 2, co: 4, k: [3, 3], stride: [2, 2], pad: 'same' },
  { n: 3, h: 12, w: 12, ci: 3, co: 5, k: [3, 3], stride: [2, 2], pad: 'valid' },
  { n: 2, h: 10, w: 10, ci: 2, co: 3, k: [3, 3], stride: [3, 3], pad: 'valid' }, // crops a row
  { n: 2, h: 9, w: 7, ci: 4, co: 2, k: [2, 4], stride: [1, 2], pad: 'same' },
  {
    n: 2,
    h: 8,
    w: 8,
    ci: 3,
    co: 3,
    k: [3, 3],
    stride: [1, 1],
    pad: [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ],
  },
  { n: 1, h: 32, w: 32, ci: 3, co: 8, k: [3, 3], stride: [1, 1], pad: 'same' },
  { n: 4, h: 7, w: 7, ci: 8, co: 8, k: [1, 1], stride: [2, 2], pad: 'valid' },
  // The SIMD filter gradient's leftovers: 4 + 1 input channels, 8 + 4 output channels, a
  // cropped row and column; and a ResNet-like stride-2 layer over several pixel chunks.
  { n: 2, h: 10, w: 10, ci: 5, co: 12, k: [3, 3], stride: [3, 3], pad: 'valid' },
  { n: 3, h: 22, w: 22, ci: 16, co: 32, k: [3, 3], stride: [2, 2], pad: 'same' },
  // One input channel: rows that are not a multiple of 4 pixels, an odd number of output
  // channels (the last lane block overlapping the one before), fewer than 4 (tfjs's path), a
  // block of one tap (6 taps).
  { n: 2, h: 9, w: 7, ci: 1, co: 3, k: [3, 3], stride: [1, 1], pad: 'same' },
  { n: 3, h: 6, w: 13, ci: 1, co: 5, k: [5, 5], stride: [1, 1], pad: 'valid' },
  { n: 1, h: 5, w: 3, ci: 1, co: 1, k: [2, 3], stride: [1, 1], pad: 'same' },
  // No padding at all: both SIMD filter gradients read the input itself, not a padded copy.
  { n: 2, h: 9, w: 8, ci: 1, co: 4, k: [3, 3], stride: [1, 1], pad: 'valid' },
  { n: 2, h: 9, w: 8, ci: 4, co: 8, k: [3, 3], stride: [1, 1], pad: 'valid' },
  // Winograd F(2x2, 3x3) (3x3, stride 1, 8 or more channels in and out, multiples of 4): odd
  // sizes (the last tile cropped), 'valid', asymmetric padding, a ResNet-20-like layer.
  { n: 2, h: 9, w: 7, ci: 8, co: 12, k: [3, 3], stride: [1, 1], pad: 'same' },
  { n: 2, h: 8, w: 11, ci: 12, co: 8, k: [3, 3], stride: [1, 1], pad: 'valid' },
  {
    n: 2,
    h: 6,
    w: 7,
    ci: 8,
    co: 8,
    k: [3, 3],
    stride: [1, 1],
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  },
  { n: 3, h: 16, w: 16, ci: 16, co: 16, k: [3, 3], stride: [1, 1], pad: 'same' },
];

describe('WASM training kernels', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await setWasmBackend();
    // Small layers take the Winograd path too, so that the cases below test it.
    tf.env().set(WINOGRAD_MIN_CHANNELS_FLAG, 8);
  });
  afterAll(async () => {
    tf.env().set(WINOGRAD_MIN_CHANNELS_FLAG, WINOGRAD_MIN_CHANNELS);
    await tf.setBackend('cpu');
  });

  it('runs the SIMD kernels on the WASM heap (so the cases below test them)', () => {
    expect(labKernels()).not.toBeNull();
  });

  it.each(cases.map((c, i) => [i, c] as const))(
    'conv2d gradients match the CPU backend (case %i)',
    async (i, c) => {
      await tf.setBackend('cpu');
      const reference = convGrads(c, 10 * i);
      await tf.setBackend('wasm');
      const wasm = convGrads(c, 10 * i);
      expectClose(wasm.df, reference.df);
      expectClose(wasm.dx, reference.dx);
    },
  );

  const onBoth = async (f: () => Float32Array[]) => {
    await tf.setBackend('cpu');
    const reference = tf.tidy(f);
    await tf.setBackend('wasm');
    return { reference, wasm: tf.tidy(f) };
  };

  it.each([
    [[7, 5], [7, 3], true, false],
    [[4, 6], [9, 6], false, true],
    [[6, 4], [9, 6], true, true],
    [[2, 7, 5], [2, 7, 3], true, false],
    [[2, 4, 6], [2, 9, 6], false, true],
    [[64, 784], [64, 300], true, false],
    // The SIMD transpose: 16-row blocks, 4 x 4 blocks and the leftover rows and columns.
    [[2, 37, 13], [2, 9, 37], true, true],
    [[20, 256], [8192 / 8, 256], false, true],
  ] as const)(
    'matMul %j x %j (transposeA %s, transposeB %s) matches the CPU backend',
    async (sa, sb, ta, tb) => {
      const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
      const { reference, wasm } = await onBoth(() => [
        tf
          .matMul(
            tf.tensor(random(size(sa), 1), [...sa]),
            tf.tensor(random(size(sb), 2), [...sb]),
            ta,
            tb,
          )
          .dataSync() as Float32Array,
      ]);
      expectClose(wasm[0]!, reference[0]!);
    },
  );

  it('with the SIMD filter gradient switched off (for the bench), the composed path agrees', async () => {
    const c = cases.find((k) => k.ci === 4 && k.co === 8 && k.pad === 'valid')!;
    const simd = convGrads(c, 11);
    tf.env().set(SIMD_FILTER_GRAD_FLAG, false);
    try {
      const composed = convGrads(c, 11).df;
      expectClose(composed, simd.df);
      // Another path ran: sums in another order differ somewhere in the last bits.
      expect(composed.some((v, i) => v !== simd.df[i])).toBe(true);
    } finally {
      tf.env().set(SIMD_FILTER_GRAD_FLAG, true);
    }
  });

  it('with Winograd switched off (for the bench), the direct convolutions agree', async () => {
    const c = cases.find((k) => k.ci === 16 && k.stride[0] === 1)!;
    const winograd = convGrads(c, 12);
    tf.env().set(WINOGRAD_FLAG, false);
    let direct: ReturnType<typeof convGrads>;
    try {
      direct = convGrads(c, 12);
      expectClose(direct.df, winograd.df);
      expectClose(direct.dx, winograd.dx);
      // Another path ran: its sums differ somewhere in the last bits.
      expect(direct.df.some((v, i) => v !== winograd.df[i])).toBe(true);
      expect(direct.dx.some((v, i) => v !== winograd.dx[i])).toBe(true);
    } finally {
      tf.env().set(WINOGRAD_FLAG, true);
    }
    // On one thread the default channel minimum (16) takes the 16-channel layer the Winograd
    // way; a minimum above 16 (the helper threads' 32) takes it the direct way.
    try {
      tf.env().set(WINOGRAD_MIN_CHANNELS_FLAG, WINOGRAD_MIN_CHANNELS);
      const atDefault = convGrads(c, 12);
      expect(atDefault.df).toEqual(winograd.df);
      expect(atDefault.dx).toEqual(winograd.dx);
      tf.env().set(WINOGRAD_MIN_CHANNELS_FLAG, WINOGRAD_THREADED_MIN_CHANNELS);
      const above = convGrads(c, 12);
      expect(above.df).toEqual(direct.df);
      expect(above.dx).toEqual(direct.dx);
    } finally {
      tf.env().set(WINOGRAD_MIN_CHANNELS_FLAG, 8);
    }
  });

  it.each([
    ['relu', true],
    ['linear', true],
    ['linear', false],
  ] as const)(
    'fused conv2d (%s, bias %s) and its gradients match the CPU backend',
    async (activation, withBias) => {
      const [n, h, w, ci, co] = [2, 7, 9, 8, 12];
      const { reference, wasm } = await onBoth(() => {
        const x = tf.tensor4d(random(n * h * w * ci, 5), [n, h, w, ci]);
        const f = tf.tensor4d(random(9 * ci * co, 6), [3, 3, ci, co]);
        const bias = withBias ? tf.tensor1d(random(co, 7)) : undefined;
        const r = tf.tensor4d(random(n * h * w * co, 8), [n, h, w, co]);
        const conv = (a: tf.Tensor4D, b: tf.Tensor4D) =>
          tf.fused.conv2d({ x: a, filter: b, strides: 1, pad: 'same', bias, activation });
        // Outside a gradient tfjs fuses every activation; inside, only the linear one.
        const y = conv(x, f);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r)),
        )([x, f]);
        return [y, dx!, df!].map((t) => t.dataSync() as Float32Array);
      });
      wasm.forEach((values, i) => expectClose(values, reference[i]!));
      if (activation === 'relu') expect(wasm[0]!.some((v) => v === 0)).toBe(true);
    },
  );

  // One input channel at stride 1 (convForwardC1): LeNet-5's first layer; rows that are not a
  // multiple of 4 pixels; 1-8 output channels in a block (the spare accumulators), two blocks
  // (12), 'valid' and asymmetric explicit padding, non-square filters.
  it.each([
    [[2, 28, 28, 1], [5, 5, 1, 6], 'same'],
    [[2, 9, 7, 1], [3, 3, 1, 3], 'same'],
    [[3, 6, 13, 1], [5, 5, 1, 5], 'valid'],
    [[1, 5, 4, 1], [2, 3, 1, 1], 'same'],
    [[2, 8, 10, 1], [3, 3, 1, 12], 'same'],
    [
      [2, 7, 9, 1],
      [3, 2, 1, 8],
      [
        [0, 0],
        [2, 0],
        [0, 1],
        [0, 0],
      ],
    ],
    [[1, 6, 6, 1], [3, 3, 1, 7], 'same'],
    [[1, 6, 6, 1], [3, 3, 1, 2], 'valid'],
  ] as const)(
    'one-channel conv2d %j * %j (%j), with bias and ReLU fused, matches the CPU backend',
    async (xShape, fShape, pad) => {
      const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
      const co = fShape[3];
      const { reference, wasm } = await onBoth(() => {
        const x = tf.tensor4d(random(size(xShape), 21), [...xShape]);
        const f = tf.tensor4d(random(size(fShape), 22), [...fShape]);
        const bias = tf.tensor1d(random(co, 23));
        const p = pad as Parameters<typeof tf.conv2d>[3];
        return [
          tf.conv2d(x, f, 1, p),
          tf.fused.conv2d({ x, filter: f, strides: 1, pad: p, bias, activation: 'relu' }),
          tf.fused.conv2d({ x, filter: f, strides: 1, pad: p, bias }),
        ].map((t) => t.dataSync() as Float32Array);
      });
      wasm.forEach((values, i) => expectClose(values, reference[i]!));
      expect(wasm[1]!.some((v) => v === 0)).toBe(true);
    },
  );

  // (lab-kernels.test.ts checks the kernel itself against a plain loop.)
  it('with the one-channel kernel switched off (for the bench), XNNPACK agrees', async () => {
    const conv = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(random(8 * 28 * 28, 31), [8, 28, 28, 1]);
        const f = tf.tensor4d(random(150, 32), [5, 5, 1, 6]);
        return tf.conv2d(x, f, 1, 'same').dataSync() as Float32Array;
      });
    const c1 = conv();
    tf.env().set(CONV_C1_FLAG, false);
    try {
      const xnnpack = conv();
      expectClose(xnnpack, c1);
    } finally {
      tf.env().set(CONV_C1_FLAG, true);
    }
  });

  it.each([
    [[2, 10, 10, 3], 2, 2, 'valid'],
    [[2, 28, 28, 6], 2, 2, 'valid'],
    [[2, 9, 7, 2], 3, 2, 'same'], // overlapping windows and padding
    [[1, 5, 5, 1], 2, 1, 'valid'],
    [[3, 11, 11, 4], 3, 3, 'valid'],
  ] as const)(
    'maxPool gradient of %j (window %i, stride %i, %s) matches the CPU backend',
    async (shape, k, stride, pad) => {
      const size = (shape as readonly number[]).reduce((a, b) => a * b, 1);
      // Quantised values make equal maxima in a window common: the first one must win.
      const values = random(size, 3).map((v) => Math.round(v * 4) / 4);
      const { reference, wasm } = await onBoth(() => {
        const x = tf.tensor4d(values, [...shape]);
        const r = tf.tensor(
          random(tf.maxPool(x, k, stride, pad).size, 4),
          tf.maxPool(x, k, stride, pad).shape,
        );
        const dx = tf.grad((a: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k, stride, pad), r)),
        )(x);
        return [dx.dataSync() as Float32Array];
      });
      expectClose(wasm[0]!, reference[0]!);
    },
  );

  it.each([
    ['lenet5', [28, 28, 1], 10],
    ['conv4', [4, 4, 1], 14], // 3x3 'same' convs, two pools (small: the CPU side is slow)
    ['resnet8', [12, 12, 1], 29], // BN in training mode, stride-2 3x3 and 1x1 shortcut convs
  ] as const)('whole %s gradients match the CPU backend', async (name, shape, params) => {
    const [h, w, c] = shape;
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const model = buildModel(name, 5, [...shape]);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const result = tf.tidy(() => {
        const x = tf.tensor4d(random(16 * h * w * c, 1), [16, h, w, c]);
        const y = tf.oneHot(
          tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'),
          10,
        );
        const { grads } = tf.variableGrads(
          () =>
            tf.losses.softmaxCrossEntropy(
              y,
              model.apply(x, { training: true }) as tf.Tensor,
            ) as tf.Scalar,
          vars,
        );
        return vars.map((v) => grads[v.name]!.dataSync() as Float32Array);
      });
      model.dispose();
      return result;
    };
    const reference = await grads('cpu');
    const wasm = await grads('wasm');
    expect(wasm).toHaveLength(params);
    wasm.forEach((g, i) => expectClose(g, reference[i]!));
  });
});

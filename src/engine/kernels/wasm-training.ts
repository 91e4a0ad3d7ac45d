/**
 * Kernels the tfjs WASM backend lacks for training the lab's CNNs, and faster replacements for
 * slow ones. Where setWasmBackend found tfjs's heap, Pruning Lab's SIMD kernels
 * (lab-kernels.ts) do the work in place; otherwise, and for shapes they do not cover, the
 * compositions of WASM kernels and JS loops below do.
 *
 * Conv2DBackpropFilter (NHWC, dilation 1): with x [n, H, W, ci] and dy [n, oh, ow, co],
 *   dW[a, b, c, o] = sum_{m, i, j} x[m, i*sH + a - top, j*sW + b - left, c] * dy[m, i, j, o].
 * One input channel at stride 1: the SIMD kernel sums this straight from the padded input.
 * Otherwise it is a stride-1 convolution of x^T = transpose(x, [3, 1, 2, 0]) ([ci, H, W, n])
 * with the filter dy^T = transpose(dy, [1, 2, 0, 3]) ([oh, ow, n, co]) dilated by the forward
 * stride, padded by (top, bottom', left, right') so the output is exactly [ci, kh, kw, co], where
 * bottom' = (oh - 1) sH + kh - top - H (cropping x when negative); then
 * dW = transpose(result, [1, 2, 0, 3]).
 *
 * Replacements (the originals stay as fallbacks for cases these do not cover):
 *  - Conv2D, FusedConv2D (bias, linear or ReLU), Conv2DBackpropInput and Conv2DBackpropFilter
 *    of 3x3 convolutions at stride 1 with enough channels: Winograd F(4x4, 3x3) (winograd.ts).
 *  - BatchMatMul with a transposed operand: WASM's transposed path is a plain loop, ~10x slower
 *    than transposing first (XNNPACK) and multiplying untransposed.
 *  - Conv2DBackpropInput: with the SIMD kernels and fewer than 8 input channels or a stride
 *    above 1, dcols = dy x W^T then col2im. Else, at stride 1: dx = conv2d(dy, W'),
 *    W'[a, b, o, c] = W[kh-1-a, kw-1-b, c, o] (the filter flipped and its channels swapped),
 *    padded by (kh-1-top, kh-1-bottom, kw-1-left, kw-1-right): the XNNPACK convolution, ~5x.
 *  - MaxPoolGrad: each output's gradient goes to the first maximum of its window in row-major
 *    order (the CPU backend's rule); SIMD for 2x2 windows at stride 2, else a JS loop.
 *  - Add of a bias over the last axis, and Sum over every axis but the last: SIMD passes.
 *  - Identity: shares the input's data (reference count) instead of copying it.
 *  - Batch norm in training mode: two fused kernels (../batch-norm.ts).
 *  - Convolution / matrix product + bias + ReLU in training: one kernel, and one for the start
 *    of its gradient (../fused-layers.ts).
 *  - The training loss (softmax cross-entropy of integer labels): one kernel and one for its
 *    gradient (../fused-loss.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { call, type Backend, type HeapBackend } from './kernel-calls';
import { POOL_MIN_MACS } from './kernel-pool';
import { filterGradGroups, heapOffset, kernelPool, labKernels } from './lab-kernels';
import { registerFusedBatchNorm } from '../batch-norm';
import { registerFusedLayers } from '../fused-layers';
import { registerFusedLoss } from '../fused-loss';
import {
  WINOGRAD_FLAG,
  WINOGRAD_MIN_CHANNELS,
  WINOGRAD_MIN_CHANNELS_FLAG,
  WINOGRAD_THREADED_MIN_CHANNELS,
  WINOGRAD_THREADED_MIN_CHANNELS_FLAG,
  winogradApplies,
  winogradConv2d,
  winogradFilterGrad,
} from './winograd';

/**
 * TF.js flag (default true) that lets the SIMD filter gradient replace the transposes and
 * XNNPACK convolution; `npm run bench` cases set it false to time the two against each other.
 */
export const SIMD_FILTER_GRAD_FLAG = 'LAB_SIMD_FILTER_GRAD';

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Padding below and right that the last output row / column reaches (negative: it stops short). */
function farPadding(info: tf.backend_util.Conv2DInfo): { bottom: number; right: number } {
  return {
    bottom:
      (info.outHeight - 1) * info.strideHeight +
      info.filterHeight -
      info.padInfo.top -
      info.inHeight,
    right:
      (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.padInfo.left - info.inWidth,
  };
}

/**
 * x [n, h, w, c] zero-padded by (top, bottom, left, right), all >= 0, for the SIMD filter
 * gradients; x itself when there is no padding. `release` frees the copy, if one was made.
 */
function padInput(
  b: HeapBackend,
  simd: NonNullable<ReturnType<typeof labKernels>>,
  x: TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { xpad: TensorInfo; ph: number; pw: number; release: () => void } {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const ph = h + top + bottom;
  const pw = w + left + right;
  if (top === 0 && bottom === 0 && left === 0 && right === 0) {
    return { xpad: x, ph, pw, release: () => {} };
  }
  const xpad = b.makeOutput([n, ph, pw, c], 'float32');
  simd.padImages(heapOffset(b, x), heapOffset(b, xpad), n, h, w, c, top, bottom, left, right);
  return { xpad, ph, pw, release: () => void b.disposeData(xpad.dataId) };
}

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as BackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('WASM Conv2DBackpropFilter supports NHWC only');
  const b = backend as Backend;
  const [n, height, width, inChannels] = x.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    [n, height, width, inChannels],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw] = filterShape;
  const { strideHeight: sH, strideWidth: sW, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const simd = labKernels();
  let { bottom, right } = farPadding(info);
  const outChannels = filterShape[3];
  if (winogradApplies(info)) return winogradFilterGrad(b as HeapBackend, x, dy, info);
  if (
    simd &&
    inChannels === 1 &&
    sH === 1 &&
    sW === 1 &&
    bottom >= 0 &&
    right >= 0 &&
    outChannels >= 4
  ) {
    // One input channel (a first layer on grey images): a SIMD kernel sums input x output
    // gradient products straight from the padded input, no patch matrix or weight packing.
    const hb = b as HeapBackend;
    const { xpad, ph, pw, release } = padInput(hb, simd, x, top, bottom, left, right);
    const dw = hb.makeOutput([...filterShape], 'float32');
    simd.convFilterGradC1(
      heapOffset(b, xpad),
      heapOffset(b, dy),
      heapOffset(b, dw),
      n,
      ph,
      pw,
      oh,
      ow,
      kh,
      kw,
      outChannels,
    );
    release();
    return dw;
  }
  if (simd && outChannels % 4 === 0 && tf.env().getBool(SIMD_FILTER_GRAD_FLAG)) {
    // Any input channels and stride: a SIMD GEMM over the pixels straight from the padded
    // input (assembly/lab-kernels.ts, convFilterGrad), no transposes or patch matrix.
    // Rows and columns past the last output's reach (bottom, right < 0) are never read.
    const hb = b as HeapBackend;
    const pad = [top, Math.max(bottom, 0), left, Math.max(right, 0)] as const;
    const { xpad, ph, pw, release } = padInput(hb, simd, x, ...pad);
    const dw = hb.makeOutput([...filterShape], 'float32');
    const args = [
      heapOffset(b, xpad),
      heapOffset(b, dy),
      heapOffset(b, dw),
      n,
      ph,
      pw,
      inChannels,
      oh,
      ow,
      outChannels,
      kh,
      kw,
      sH,
      sW,
    ] as const;
    const groups = filterGradGroups(kh, kw, inChannels);
    const pool = kernelPool();
    // With helper threads, each computes its own rows of dw (disjoint, so the same numbers);
    // a small layer stays on this thread, where waking a helper costs more than it saves.
    if (pool && n * oh * ow * kh * kw * inChannels * outChannels >= POOL_MIN_MACS) {
      pool.convFilterGrad(args, groups);
    } else simd.convFilterGrad(...args, 0, groups);
    release();
    return dw;
  }
  const temporaries: TensorInfo[] = [];
  let xT = call('Transpose', b, { x }, { perm: [3, 1, 2, 0] });
  temporaries.push(xT);
  if (bottom < 0 || right < 0) {
    xT = call(
      'Slice',
      b,
      { x: xT },
      {
        begin: [0, 0, 0, 0],
        size: [inChannels, height + Math.min(bottom, 0), width + Math.min(right, 0), n],
      },
    );
    temporaries.push(xT);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const dyT = call('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] });
  temporaries.push(dyT);
  const product = call('Conv2D', b, { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dilations: [sH, sW],
  } as unknown as NamedAttrMap);
  temporaries.push(product);
  const result = call('Transpose', b, { x: product }, { perm: [1, 2, 0, 3] });
  for (const t of temporaries) b.disposeData(t.dataId);
  return result;
};

type Original = Parameters<typeof tf.registerKernel>[0]['kernelFunc'];

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

function convInfo(x: TensorInfo, filter: TensorInfo, attrs: ConvAttrs) {
  return tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    attrs.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast',
  );
}

/** TF.js flag (default true) for the one-channel forward kernel; bench cases set it false. */
export const CONV_C1_FLAG = 'LAB_CONV_C1';

/** True when convForwardC1 computes this convolution (one input channel, stride 1, NHWC). */
function c1Applies(x: TensorInfo, info: tf.backend_util.Conv2DInfo): boolean {
  const { bottom, right } = farPadding(info);
  return (
    labKernels() !== null &&
    tf.env().getBool(CONV_C1_FLAG) &&
    x.dtype === 'float32' &&
    info.dataFormat === 'channelsLast' &&
    info.inChannels === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.outWidth >= 4 &&
    bottom >= 0 &&
    right >= 0
  );
}

/** A one-channel convolution (c1Applies), with the bias (or null) and ReLU folded in. */
function convC1(
  b: HeapBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  bias: TensorInfo | null,
  relu: boolean,
): TensorInfo {
  const simd = labKernels()!;
  const { bottom, right } = farPadding(info);
  const { top, left } = info.padInfo;
  const { xpad, ph, pw, release } = padInput(b, simd, x, top, bottom, left, right);
  const y = b.makeOutput([...info.outShape], 'float32');
  simd.convForwardC1(
    heapOffset(b, xpad),
    heapOffset(b, filter),
    bias ? heapOffset(b, bias) : 0,
    relu ? 1 : 0,
    heapOffset(b, y),
    info.batchSize,
    ph,
    pw,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
  );
  release();
  return y;
}

/**
 * Conv2D: 3x3 at stride 1 the Winograd way (winograd.ts), one input channel at stride 1 by
 * convForwardC1, else XNNPACK's.
 */
const conv2D =
  (original: Original): KernelFunc =>
  (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    const info = convInfo(x, filter, attrs);
    if (c1Applies(x, info))
      return convC1(args.backend as HeapBackend, x, filter, info, null, false);
    if (!winogradApplies(info)) return original(args);
    return winogradConv2d(args.backend as HeapBackend, x, filter, info);
  };

/**
 * FusedConv2D (a convolution + bias + activation; tfjs fuses them where no gradient is being
 * taken, or the activation is linear): with a bias over the channels and a linear or ReLU
 * activation, one input channel at stride 1 by convForwardC1 and 3x3 at stride 1 the Winograd
 * way, each with the bias and ReLU folded in.
 */
const fusedConv2D =
  (original: Original): KernelFunc =>
  (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as {
      x: TensorInfo;
      filter: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const attrs = args.attrs as unknown as ConvAttrs;
    const activation = attrs.activation ?? 'linear';
    if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) {
      return original(args);
    }
    const info = convInfo(x, filter, attrs);
    const biasFits =
      !bias ||
      (bias.shape.length === 1 && bias.shape[0] === info.outChannels && bias.dtype === 'float32');
    if (!biasFits) return original(args);
    if (c1Applies(x, info)) {
      return convC1(
        args.backend as HeapBackend,
        x,
        filter,
        info,
        bias ?? null,
        activation === 'relu',
      );
    }
    if (!winogradApplies(info)) return original(args);
    return winogradConv2d(
      args.backend as HeapBackend,
      x,
      filter,
      info,
      bias ?? null,
      activation === 'relu',
    );
  };

/**
 * Swaps the last two axes of a rank-2 or rank-3 tensor (on the WASM backend): the SIMD kernel
 * for float32 (tfjs's Transpose took 14 ms for [8192, 64] to [64, 8192], Conv-4's first dense
 * layer, against 0.8 ms the other way round), else tfjs's.
 */
function transposeLastTwo(b: Backend, x: TensorInfo): TensorInfo {
  const simd = labKernels();
  if (simd && x.dtype === 'float32') {
    const [rows, cols] = x.shape.slice(-2) as [number, number];
    const batch = x.shape.length === 3 ? x.shape[0]! : 1;
    const hb = b as HeapBackend;
    const out = hb.makeOutput([...x.shape.slice(0, -2), cols, rows], 'float32');
    const [from, to, bytes] = [heapOffset(b, x), heapOffset(b, out), rows * cols * 4];
    for (let m = 0; m < batch; m++)
      simd.transpose(from + m * bytes, rows, cols, to + m * bytes, rows);
    return out;
  }
  const perm =
    x.shape.length === 2
      ? [1, 0]
      : [...x.shape.slice(0, -2).map((_, i) => i), x.shape.length - 1, x.shape.length - 2];
  return call('Transpose', b, { x }, { perm });
}

const batchMatMul =
  (original: Original): KernelFunc =>
  (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const backend = args.backend as Backend;
    const aT = transposeA ? transposeLastTwo(backend, a) : a;
    const bT = transposeB ? transposeLastTwo(backend, b) : b;
    const out = original({
      ...args,
      inputs: { a: aT, b: bT },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    if (transposeA) backend.disposeData(aT.dataId);
    if (transposeB) backend.disposeData(bT.dataId);
    return out;
  };

interface BackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

const conv2DBackpropInput =
  (original: Original): KernelFunc =>
  (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as BackpropInputAttrs;
    if (attrs.dataFormat === 'NCHW') return original(args);
    const filterShape = filter.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const [kh, kw, inChannels, outChannels] = filterShape;
    const { top, bottom, left, right } = info.padInfo;
    const simd = labKernels();
    const { strideHeight: sH, strideWidth: sW } = info;
    if (simd && (inChannels < 8 || sH !== 1 || sW !== 1)) {
      // dcols = dy x W^T ([n*oh*ow, co] x [co, kh*kw*ci], XNNPACK), then a SIMD col2im adds
      // each patch back into dx: no work on padding, unlike the convolution below.
      const b = args.backend as HeapBackend;
      const [n, height, width] = attrs.inputShape;
      const pixels = n * info.outHeight * info.outWidth;
      const dyView: TensorInfo = {
        dataId: dy.dataId,
        shape: [1, pixels, outChannels],
        dtype: 'float32',
      };
      const weights: TensorInfo = {
        dataId: filter.dataId,
        shape: [1, kh * kw * inChannels, outChannels],
        dtype: 'float32',
      };
      const cols = call(
        'BatchMatMul',
        b,
        { a: dyView, b: weights },
        {
          transposeA: false,
          transposeB: true,
        },
      );
      const dx = b.makeOutput(attrs.inputShape, 'float32');
      simd.col2im(
        heapOffset(b, cols),
        heapOffset(b, dx),
        n,
        height,
        width,
        inChannels,
        info.outHeight,
        info.outWidth,
        kh,
        kw,
        sH,
        sW,
        top,
        left,
      );
      b.disposeData(cols.dataId);
      return dx;
    }
    const pads = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((p) => p < 0)) {
      return original(args);
    }
    const b = args.backend as Backend;
    const flipped = call('Reverse', b, { x: filter }, { dims: [0, 1] });
    const swapped = call('Transpose', b, { x: flipped }, { perm: [0, 1, 3, 2] });
    // The replaced Conv2D below: a 3x3 layer goes the Winograd way (winograd.ts).
    const dx = call('Conv2D', b, { x: dy, filter: swapped }, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [pads[0], pads[1]],
        [pads[2], pads[3]],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    } as unknown as NamedAttrMap);
    b.disposeData(flipped.dataId);
    b.disposeData(swapped.dataId);
    return dx;
  };

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
  const b = backend as HeapBackend;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const out = b.makeOutput(input.shape, 'float32');
  const tiled =
    filterHeight === 2 &&
    filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0 &&
    outHeight * 2 <= inHeight &&
    outWidth * 2 <= inWidth;
  const simd = labKernels();
  if (tiled && simd) {
    simd.maxPoolGrad2x2(
      heapOffset(b, input),
      heapOffset(b, dy),
      heapOffset(b, out),
      batchSize,
      inHeight,
      inWidth,
      channels,
      outHeight,
      outWidth,
    );
    return out;
  }
  const x = b.typedArrayFromHeap(input);
  const g = b.typedArrayFromHeap(dy);
  const dx = b.typedArrayFromHeap(out);
  dx.fill(0);
  if (tiled) {
    // 2x2 windows side by side (LeNet's pools): the same first-maximum rule, unrolled.
    const row = inWidth * channels;
    for (let n = 0; n < batchSize; n++) {
      for (let yR = 0; yR < outHeight; yR++) {
        for (let yC = 0; yC < outWidth; yC++) {
          const a = ((n * inHeight + 2 * yR) * inWidth + 2 * yC) * channels;
          const gBase = ((n * outHeight + yR) * outWidth + yC) * channels;
          for (let d = 0; d < channels; d++) {
            const i0 = a + d;
            const i1 = i0 + channels;
            const i2 = i0 + row;
            const i3 = i2 + channels;
            let at = i0;
            if (x[i1]! > x[at]!) at = i1;
            if (x[i2]! > x[at]!) at = i2;
            if (x[i3]! > x[at]!) at = i3;
            dx[at] += g[gBase + d]!;
          }
        }
      }
    }
    return out;
  }
  for (let n = 0; n < batchSize; n++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const r0 = yR * strideHeight - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(inHeight, r0 + filterHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const c0 = yC * strideWidth - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(inWidth, c0 + filterWidth);
        const gBase = ((n * outHeight + yR) * outWidth + yC) * channels;
        for (let d = 0; d < channels; d++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let r = rMin; r < rMax; r++) {
            for (let c = cMin; c < cMax; c++) {
              const index = ((n * inHeight + r) * inWidth + c) * channels + d;
              if (x[index]! > best) {
                best = x[index]!;
                at = index;
              }
            }
          }
          if (at >= 0) dx[at] += g[gBase + d]!;
        }
      }
    }
  }
  return out;
};

const addBias =
  (original: Original): KernelFunc =>
  (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const simd = labKernels();
    const c = b.shape[0]!;
    if (
      !simd ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      a.shape.length < 2 ||
      b.shape.length !== 1 ||
      a.shape[a.shape.length - 1] !== c
    ) {
      return original(args);
    }
    // x + bias over the last axis (every conv and dense layer's bias): one SIMD pass instead of
    // WASM's general broadcasting loop.
    const backend = args.backend as HeapBackend;
    const out = backend.makeOutput(a.shape, 'float32');
    const rows = tf.util.sizeFromShape(a.shape) / c;
    simd.addBias(heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), rows, c);
    return out;
  };

const sumLeadingAxes =
  (original: Original): KernelFunc =>
  (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const simd = labKernels();
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    if (
      !simd ||
      x.dtype !== 'float32' ||
      rank < 2 ||
      axes.length !== rank - 1 ||
      axes.some((ax, i) => ax !== i)
    ) {
      return original(args);
    }
    // Sum over every axis but the last (every bias gradient): column sums in one SIMD pass.
    const backend = args.backend as HeapBackend;
    const c = x.shape[rank - 1]!;
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), c] : [c], 'float32');
    simd.sumRows(
      heapOffset(backend, x),
      heapOffset(backend, out),
      tf.util.sizeFromShape(x.shape) / c,
      c,
    );
    return out;
  };

/**
 * Identity (tf.clone, and every tensor the engine saves for the backward pass) sharing the
 * input's data with a reference count, as the CPU and WebGL backends do, instead of WASM's copy:
 * tensors never change after they are made, so a copy is never needed.
 */
const sharedIdentity =
  (original: Original): KernelFunc =>
  (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return original(args);
    (args.backend as Backend & { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };

function replace(name: string, make: (original: Original) => KernelFunc): void {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`WASM kernel ${name} is missing`);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: make(config.kernelFunc) });
}

let registered = false;

/** Registers the missing training kernels for 'wasm' (idempotent; call after importing the WASM backend). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  tf.env().registerFlag(SIMD_FILTER_GRAD_FLAG, () => true);
  tf.env().registerFlag(WINOGRAD_FLAG, () => true);
  tf.env().registerFlag(CONV_C1_FLAG, () => true);
  tf.env().registerFlag(WINOGRAD_MIN_CHANNELS_FLAG, () => WINOGRAD_MIN_CHANNELS);
  tf.env().registerFlag(WINOGRAD_THREADED_MIN_CHANNELS_FLAG, () => WINOGRAD_THREADED_MIN_CHANNELS);
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2DBackpropFilter,
    });
  }
  replace('BatchMatMul', batchMatMul);
  replace('Conv2D', conv2D);
  replace('FusedConv2D', fusedConv2D);
  replace('Conv2DBackpropInput', conv2DBackpropInput);
  replace('MaxPoolGrad', () => maxPoolGrad);
  replace('Add', addBias);
  replace('Sum', sumLeadingAxes);
  replace('Identity', sharedIdentity);
  registerFusedBatchNorm();
  registerFusedLayers();
  registerFusedLoss();
}

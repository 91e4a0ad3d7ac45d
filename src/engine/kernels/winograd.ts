/**
 * Winograd F(2x2, 3x3) convolutions on the WASM backend (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016): a 3x3 convolution at stride 1 computes each 2x2 block
 * of outputs ("tile") as Y = A^T [(G g G^T) . (B^T d B)] A from its 4x4 input patch d, so the
 * layer becomes 16 matrix products, one per point of the 4x4 transform,
 *   M[xi] = V[xi] U[xi],  V[xi] [tiles, ci] (input transform),  U[xi] [ci, co] (filter),
 * with 2.25x fewer multiply-adds than the direct convolution (16 per tile and channel pair
 * against 36). The transforms are SIMD kernels (assembly/lab-kernels.ts); the products are
 * XNNPACK's (BatchMatMul, one untransposed product each, on tfjs's threads).
 *
 * The filter gradient is the exact adjoint of the same linear map:
 *   dU[xi] = V[xi]^T dM[xi],  dM = A dY A^T (per tile),  dW = G^T dU G,
 * its products done by the lab's filter-gradient GEMM (convFilterGrad with a 1x1 "filter"), on
 * the kernel threads when there are some.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { call, type HeapBackend } from './kernel-calls';
import { POOL_MIN_MACS, type SplitKernel } from './kernel-pool';
import {
  filterGradGroups,
  heapOffset,
  kernelPool,
  labKernels,
  type LabKernels,
} from './lab-kernels';

/**
 * TF.js flag (default true) that lets the Winograd path take the 3x3 stride-1 convolutions;
 * `npm run bench` cases set it false to time the two against each other.
 */
export const WINOGRAD_FLAG = 'LAB_WINOGRAD';

/**
 * TF.js flag: the fewest input and output channels a layer needs for the Winograd path. With
 * fewer, the 16 products are too thin ([tiles, 16] x [16, 16] for ResNet-20's first stage) and
 * the transforms' memory traffic costs what the products save: in Chromium at 2 threads that
 * stage ran 1.3x slower than XNNPACK's direct convolution, the 32- and 64-channel stages faster.
 */
export const WINOGRAD_MIN_CHANNELS_FLAG = 'LAB_WINOGRAD_MIN_CHANNELS';
export const WINOGRAD_MIN_CHANNELS = 32;

/**
 * With helper threads, the fewest multiply-adds (of the direct convolution) a layer needs for
 * the Winograd path. On 2 threads XNNPACK's direct convolution scales to both cores and the
 * Winograd path's 16 small products and transforms less well: ResNet-20's layers (151 M each)
 * trained 15% slower its way in Chromium, Conv-4's (1.2-2.4 G) 25% faster.
 */
const THREADED_MIN_MACS = 500_000_000;

/** The 16 points of the 4x4 transform. */
const POINTS = 16;

/** Values (tiles x channels) from which a transform of the data is split over the threads. */
const POOL_MIN_VALUES = 1 << 16;

/**
 * True when the Winograd path computes this convolution: 3x3 filter, stride 1, dilation 1,
 * channels in multiples of 4 (the transforms' vectors) and at least WINOGRAD_MIN_CHANNELS_FLAG of
 * each (with helper threads, THREADED_MIN_MACS too), the SIMD kernels on tfjs's heap, the flag
 * on.
 */
export function winogradApplies(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    labKernels() !== null &&
    tf.env().getBool(WINOGRAD_FLAG) &&
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0 &&
    Math.min(info.inChannels, info.outChannels) >=
      Math.max(4, tf.env().getNumber(WINOGRAD_MIN_CHANNELS_FLAG)) &&
    (kernelPool() === null ||
      info.batchSize * info.outHeight * info.outWidth * 9 * info.inChannels * info.outChannels >=
        THREADED_MIN_MACS) &&
    info.padInfo.top >= 0 &&
    info.padInfo.left >= 0 &&
    info.dataFormat === 'channelsLast'
  );
}

/** 16 fresh float32 tensors of `shape` and the int32 table of their heap offsets. */
function matrices(b: HeapBackend, shape: number[]): { mats: TensorInfo[]; table: TensorInfo } {
  const mats = Array.from({ length: POINTS }, () => b.makeOutput(shape, 'float32'));
  return { mats, table: tableOf(b, mats) };
}

function tableOf(b: HeapBackend, mats: TensorInfo[]): TensorInfo {
  const table = b.makeOutput([POINTS], 'int32');
  const offsets = b.typedArrayFromHeap(table);
  mats.forEach((m, i) => (offsets[i] = heapOffset(b, m)));
  return table;
}

/**
 * A data transform over the batch's images [0, n): split by images over the kernel threads when
 * there are some and the transform is big enough, else on this thread.
 */
function transform(kernel: SplitKernel, args: readonly number[], n: number, values: number): void {
  const pool = values >= POOL_MIN_VALUES ? kernelPool() : null;
  if (pool) pool.split(kernel, args, n);
  else (labKernels()![kernel] as (...a: number[]) => void)(...args, 0, n);
}

function release(b: HeapBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) b.disposeData(info.dataId);
}

interface Tiles {
  n: number;
  th: number;
  tw: number;
  count: number;
}

function tilesOf(n: number, outHeight: number, outWidth: number): Tiles {
  const th = Math.ceil(outHeight / 2);
  const tw = Math.ceil(outWidth / 2);
  return { n, th, tw, count: n * th * tw };
}

/** V[xi] [1, tiles, c]: the input transform of x [n, h, w, c] padded by (top, left). */
function inputTransform(
  b: HeapBackend,
  x: TensorInfo,
  top: number,
  left: number,
  tiles: Tiles,
): { mats: TensorInfo[]; table: TensorInfo } {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const v = matrices(b, [1, tiles.count, c]);
  const args = [heapOffset(b, x), h, w, c, top, left, tiles.th, tiles.tw, heapOffset(b, v.table)];
  transform('winogradInput', args, n, tiles.count * c);
  return v;
}

/** U[xi] [1, ci, co] for a [3, 3, ci, co] filter. */
function filterTransform(b: HeapBackend, simd: LabKernels, filter: TensorInfo): TensorInfo[] {
  const [, , ci, co] = filter.shape as [number, number, number, number];
  const u = matrices(b, [1, ci, co]);
  simd.winogradFilter(heapOffset(b, filter), ci, co, heapOffset(b, u.table));
  release(b, u.table);
  return u.mats;
}

/**
 * y = conv2d(x, filter) (+ bias, then ReLU when asked) for a convolution winogradApplies to;
 * the output is [n, outHeight, outWidth, co].
 */
export function winogradConv2d(
  b: HeapBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  bias: TensorInfo | null = null,
  relu = false,
): TensorInfo {
  const simd = labKernels()!;
  const tiles = tilesOf(info.batchSize, info.outHeight, info.outWidth);
  const u = filterTransform(b, simd, filter);
  const v = inputTransform(b, x, info.padInfo.top, info.padInfo.left, tiles);
  const m = v.mats.map((vi, xi) =>
    call('BatchMatMul', b, { a: vi, b: u[xi]! }, { transposeA: false, transposeB: false }),
  );
  release(b, v.table, ...v.mats, ...u);
  const table = tableOf(b, m);
  const y = b.makeOutput(
    [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
    'float32',
  );
  const args = [
    heapOffset(b, table),
    info.outHeight,
    info.outWidth,
    info.outChannels,
    tiles.th,
    tiles.tw,
    bias ? heapOffset(b, bias) : 0,
    relu ? 1 : 0,
    heapOffset(b, y),
  ];
  transform('winogradOutput', args, tiles.n, tiles.count * info.outChannels);
  release(b, table, ...m);
  return y;
}

/** dW [3, 3, ci, co] of a convolution winogradApplies to, from x and dy [n, oh, ow, co]. */
export function winogradFilterGrad(
  b: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const simd = labKernels()!;
  const { inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const tiles = tilesOf(info.batchSize, oh, ow);
  const v = inputTransform(b, x, info.padInfo.top, info.padInfo.left, tiles);
  const dm = matrices(b, [1, tiles.count, co]);
  const dyArgs = [heapOffset(b, dy), oh, ow, co, tiles.th, tiles.tw, heapOffset(b, dm.table)];
  transform('winogradOutputAdjoint', dyArgs, tiles.n, tiles.count * co);
  // dU[xi] = V[xi]^T dM[xi]: the filter gradient of a 1x1 convolution over an "image" of
  // n * th rows of tw tiles (rows keep convFilterGrad's chunks of dy in cache).
  const du = matrices(b, [1, ci, co]);
  const rows = tiles.n * tiles.th;
  const groups = filterGradGroups(1, 1, ci);
  const pool = tiles.count * ci * co * POINTS >= POOL_MIN_MACS ? kernelPool() : null;
  for (let xi = 0; xi < POINTS; xi++) {
    const args = [
      heapOffset(b, v.mats[xi]!),
      heapOffset(b, dm.mats[xi]!),
      heapOffset(b, du.mats[xi]!),
      1,
      rows,
      tiles.tw,
      ci,
      rows,
      tiles.tw,
      co,
      1,
      1,
      1,
      1,
    ] as const;
    if (pool) pool.convFilterGrad(args, groups);
    else simd.convFilterGrad(...args, 0, groups);
  }
  release(b, v.table, ...v.mats, dm.table, ...dm.mats);
  const dw = b.makeOutput([3, 3, ci, co], 'float32');
  simd.winogradFilterAdjoint(heapOffset(b, du.table), ci, co, heapOffset(b, dw));
  release(b, du.table, ...du.mats);
  return dw;
}

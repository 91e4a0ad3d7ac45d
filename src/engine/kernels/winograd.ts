/**
 * Winograd F(4x4, 3x3) convolutions on the WASM backend (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016): a 3x3 convolution at stride 1 computes each 4x4 block
 * of outputs ("tile") as Y = A^T [(G g G^T) . (B^T d B)] A from its 6x6 input patch d, so the
 * layer becomes 36 matrix products, one per point of the 6x6 transform,
 *   M[xi] = V[xi] U[xi],  V[xi] [tiles, ci] (input transform),  U[xi] [ci, co] (filter),
 * with 4x fewer multiply-adds than the direct convolution (36 per tile and channel pair against
 * 144). The transforms are SIMD kernels (assembly/lab-kernels.ts); the products are XNNPACK's
 * (BatchMatMul, one untransposed product each, on tfjs's threads). F(2x2, 3x3), the lab's first
 * version, saved 2.25x; in Node the products were 85% of its forward time, so the larger tile's
 * 1.78x fewer products outweigh its longer transforms.
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
 * TF.js flags: the fewest input and output channels a layer needs for the Winograd path on one
 * thread and with helper threads. In Chromium (ResNet-20, batch 64 and 128) F(4x4, 3x3) won at
 * 16 channels on one thread (177 samples/s against 154 with its first stage direct) but not on
 * two (152-183 against 175-197), where XNNPACK's direct convolution uses both cores and the 36
 * thin products ([tiles, 16] x [16, 16]) and transforms less well; at 32 channels and more it won
 * on both (two threads: 175-197 against 182 all direct).
 */
export const WINOGRAD_MIN_CHANNELS_FLAG = 'LAB_WINOGRAD_MIN_CHANNELS';
export const WINOGRAD_MIN_CHANNELS = 16;
export const WINOGRAD_THREADED_MIN_CHANNELS_FLAG = 'LAB_WINOGRAD_THREADED_MIN_CHANNELS';
export const WINOGRAD_THREADED_MIN_CHANNELS = 32;

/** The 36 points of the 6x6 transform. */
const POINTS = 36;

/** Outputs a tile covers along each side. */
const TILE = 4;

/** Values (tiles x channels) from which a transform of the data is split over the threads. */
const POOL_MIN_VALUES = 1 << 16;

/**
 * True when the Winograd path computes this convolution: 3x3 filter, stride 1, dilation 1,
 * channels in multiples of 4 (the transforms' vectors) and at least WINOGRAD_MIN_CHANNELS_FLAG of
 * each (WINOGRAD_THREADED_MIN_CHANNELS_FLAG's with helper threads), the SIMD kernels on tfjs's
 * heap, the flag on.
 */
export function winogradApplies(info: tf.backend_util.Conv2DInfo): boolean {
  const minChannels = tf
    .env()
    .getNumber(
      kernelPool() === null ? WINOGRAD_MIN_CHANNELS_FLAG : WINOGRAD_THREADED_MIN_CHANNELS_FLAG,
    );
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
    Math.min(info.inChannels, info.outChannels) >= Math.max(4, minChannels) &&
    info.padInfo.top >= 0 &&
    info.padInfo.left >= 0 &&
    info.dataFormat === 'channelsLast'
  );
}

/** POINTS fresh float32 tensors of `shape` and the int32 table of their heap offsets. */
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
  const th = Math.ceil(outHeight / TILE);
  const tw = Math.ceil(outWidth / TILE);
  return { n, th, tw, count: n * th * tw };
}

/**
 * V[xi] [1, tiles, c]: the input transform of x [n, h, w, c] padded by (top, left). The kernel
 * reads whole 6x6 patches, so x is first padded to [n, 4 th + 2, 4 tw + 2, c] (zeros past its
 * edges) unless it has that shape already.
 */
function inputTransform(
  b: HeapBackend,
  simd: LabKernels,
  x: TensorInfo,
  top: number,
  left: number,
  tiles: Tiles,
): { mats: TensorInfo[]; table: TensorInfo } {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const hp = TILE * tiles.th + 2;
  const wp = TILE * tiles.tw + 2;
  let xpad = x;
  if (top !== 0 || left !== 0 || h !== hp || w !== wp) {
    xpad = b.makeOutput([n, hp, wp, c], 'float32');
    simd.padImages(
      heapOffset(b, x),
      heapOffset(b, xpad),
      n,
      h,
      w,
      c,
      top,
      hp - h - top,
      left,
      wp - w - left,
    );
  }
  const v = matrices(b, [1, tiles.count, c]);
  const args = [heapOffset(b, xpad), hp, wp, c, tiles.th, tiles.tw, heapOffset(b, v.table)];
  transform('winogradInput', args, n, tiles.count * c);
  if (xpad !== x) release(b, xpad);
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
  const v = inputTransform(b, simd, x, info.padInfo.top, info.padInfo.left, tiles);
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
  const v = inputTransform(b, simd, x, info.padInfo.top, info.padInfo.left, tiles);
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

/**
 * Pruning Lab's SIMD kernels as a WebAssembly instance on a given memory: what both the engine
 * (lab-kernels.ts) and the kernel helper threads (kernel-helper.worker.ts) need, without tfjs.
 */
import { LAB_KERNELS_SHARED_WASM, LAB_KERNELS_WASM } from './lab-kernels.wasm';

/** The exports of assembly/lab-kernels.ts (pointers are byte offsets into tfjs's heap). */
export interface LabKernels {
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    n: number,
    inH: number,
    inW: number,
    c: number,
    outH: number,
    outW: number,
  ): void;
  addBias(x: number, bias: number, out: number, rows: number, c: number): void;
  sumRows(x: number, out: number, rows: number, c: number): void;
  col2im(
    cols: number,
    dx: number,
    n: number,
    inH: number,
    inW: number,
    c: number,
    outH: number,
    outW: number,
    kh: number,
    kw: number,
    sH: number,
    sW: number,
    top: number,
    left: number,
  ): void;
  padImages(
    x: number,
    out: number,
    n: number,
    h: number,
    w: number,
    c: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
  ): void;
  batchNormTrain(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    variance: number,
    scratch: number,
    rows: number,
    c: number,
    eps: number,
  ): void;
  batchNormTrainGrad(
    x: number,
    dy: number,
    mean: number,
    variance: number,
    gamma: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    scratch: number,
    rows: number,
    c: number,
    eps: number,
  ): void;
  /** Rows of dw in groups [g0, g1) (filterGradGroups says how many a layer has). */
  convFilterGrad(
    xpad: number,
    dy: number,
    dw: number,
    n: number,
    ph: number,
    pw: number,
    ci: number,
    outH: number,
    outW: number,
    co: number,
    kh: number,
    kw: number,
    sH: number,
    sW: number,
    g0: number,
    g1: number,
  ): void;
  /**
   * Winograd F(4x4, 3x3) transforms; `table` holds the 36 byte offsets of a transform's
   * matrices; the data transforms do images [m0, m1) of the batch. The input transform reads
   * an input padded to [n, hp >= 4 th + 2, wp >= 4 tw + 2, c].
   */
  winogradInput(
    xpad: number,
    hp: number,
    wp: number,
    c: number,
    th: number,
    tw: number,
    table: number,
    m0: number,
    m1: number,
  ): void;
  winogradOutput(
    table: number,
    oh: number,
    ow: number,
    k: number,
    th: number,
    tw: number,
    bias: number,
    relu: number,
    y: number,
    m0: number,
    m1: number,
  ): void;
  winogradOutputAdjoint(
    dy: number,
    oh: number,
    ow: number,
    k: number,
    th: number,
    tw: number,
    table: number,
    m0: number,
    m1: number,
  ): void;
  /** y[j, i] = x[i, j] for x rows x cols, y's rows ldy long (assembly/sparse-inference.ts). */
  transpose(x: number, rows: number, cols: number, y: number, ldy: number): void;
  winogradFilter(w: number, ci: number, co: number, table: number): void;
  winogradFilterAdjoint(table: number, ci: number, co: number, dw: number): void;
  /** One-channel convolution at stride 1 from the padded input, bias (0: none) and ReLU folded in. */
  convForwardC1(
    xpad: number,
    w: number,
    bias: number,
    relu: number,
    y: number,
    n: number,
    ph: number,
    pw: number,
    outH: number,
    outW: number,
    kh: number,
    kw: number,
    co: number,
  ): void;
  /** g = dy where y > 0, else 0 (the gradient through a ReLU, from its output). */
  reluGrad(dy: number, y: number, g: number, len: number): void;
  convFilterGradC1(
    xpad: number,
    dy: number,
    dw: number,
    n: number,
    ph: number,
    pw: number,
    outH: number,
    outW: number,
    kh: number,
    kw: number,
    co: number,
  ): void;
}

const decode = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));

/** Instantiates the kernels on `memory` (plain or shared, as tfjs's build has it). */
export function instantiateLabKernels(memory: WebAssembly.Memory): LabKernels {
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = new WebAssembly.Module(
    decode(shared ? LAB_KERNELS_SHARED_WASM : LAB_KERNELS_WASM),
  );
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LabKernels;
}

/**
 * How many row groups convFilterGrad splits a [kh, kw, ci, co] filter gradient into (per tap,
 * blocks of 4 input channels, then the channels left over one by one).
 */
export function filterGradGroups(kh: number, kw: number, ci: number): number {
  return kh * kw * ((ci >> 2) + (ci & 3));
}

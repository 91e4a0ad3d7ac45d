/**
 * A pruned network's forward pass on the lab's WASM SIMD kernels (assembly/sparse-inference.ts),
 * in two builds of the same weights: `dense` computes every weight, zeros included; `sparse`
 * skips the pruned ones with CSR kernels where that wins. Both return the logits tfjs's
 * model.predict gives (float32, summed in another order: equal to ~1e-5 relative).
 *
 * Each network has a WebAssembly.Memory and a kernel instance of its own (the kernels take byte
 * offsets into the memory they import; tfjs's heap is not touched). Every buffer is laid out
 * once, when the network is built, for up to `maxBatch` images; a forward pass copies the
 * images in, runs the kernels and copies the logits out. Float32 throughout.
 *
 * Layouts (bp = batch rounded up to a multiple of 4):
 * - Input: images NHWC, [B, h, w, c].
 * - Convolutions and pooling work on planes, CHW per image, images one after another. A conv's
 *   input buffer is zero-padded ([ci][ph][pw], ph = h + kh - 1 for 'same'), its border zeroed
 *   once, and whoever produces that input (the NHWC-to-planes copy, the previous conv, the
 *   pool) writes only its inside. A conv's filter o is a CSR row of taps (c, a, b) stored as
 *   the tap's byte offset ((c * ph + a) * pw + b) * 4 in the padded image, so
 *     y[m, o, i, j] = act(bias[o] + sum_t vals[t] * x[m, offs[t] / 4 + i * pw + j]).
 * - Dense layers keep W^T ([out, in], row o = the weights into unit o), dense or CSR
 *   (rowPtr[out + 1], cols[nnz] = input index k, vals[nnz]):
 *     y[o] = act(bias[o] + sum_k W^T[o, k] x[k]).
 *   Below batch 4 they run one sample at a time (gemv or CSR gather); from batch 4 on, on
 *   activations [in, bp] (a column per sample, SIMD across the batch), the input transposed in
 *   and the logits transposed out. A flattened conv output arrives in CHW order, tfjs's flatten
 *   is NHWC: the first dense layer's rows are permuted to match when it is built.
 *
 * Which layers run CSR in the `sparse` build (LayerChoice): every convolution (the sparse
 * direct convolution is the dense one's loop over fewer taps: never more work), and a dense
 * layer when its density alive/size is at most `csrMaxDensity` for the batch regime: the CSR
 * gather at batch 1 is scalar against the dense gemv's 8-wide SIMD, the batched CSR kernel does
 * the dense one's work per weight plus an index load (DEFAULT_CSR_MAX_DENSITY, measured on the
 * lab's models: docs/performance.md).
 */
import { LAB_KERNELS_WASM } from '../kernels/lab-kernels.wasm';
import type { ConvStage, DenseStage, InferencePlan, PoolStage } from './inference-plan';

/** The sparse inference exports of the kernel module (pointers: byte offsets). */
interface SparseKernels {
  csrGather(
    vals: number,
    cols: number,
    rowPtr: number,
    rows: number,
    x: number,
    bias: number,
    y: number,
    relu: number,
  ): void;
  denseGemv(
    w: number,
    n: number,
    rows: number,
    x: number,
    bias: number,
    y: number,
    relu: number,
  ): void;
  csrBatch(
    vals: number,
    cols: number,
    rowPtr: number,
    rows: number,
    x: number,
    bias: number,
    y: number,
    bp: number,
    relu: number,
  ): void;
  denseBatch(
    w: number,
    n: number,
    rows: number,
    x: number,
    bias: number,
    y: number,
    bp: number,
    relu: number,
  ): void;
  sparseConv(
    vals: number,
    offs: number,
    rowPtr: number,
    co: number,
    x: number,
    xImage: number,
    pw: number,
    oh: number,
    ow: number,
    bias: number,
    y: number,
    yImage: number,
    yPlane: number,
    yRow: number,
    n: number,
    relu: number,
  ): void;
  maxPool2x2Planes(
    x: number,
    planes: number,
    ih: number,
    iw: number,
    y: number,
    yPlane: number,
    yRow: number,
  ): void;
  nhwcToPlanes(
    x: number,
    n: number,
    h: number,
    w: number,
    c: number,
    y: number,
    ph: number,
    pw: number,
    top: number,
    left: number,
  ): void;
  transpose(x: number, rows: number, cols: number, y: number, ldy: number): void;
}

let compiled: WebAssembly.Module | null = null;

function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(
    Uint8Array.from(atob(LAB_KERNELS_WASM), (ch) => ch.charCodeAt(0)),
  );
  return compiled;
}

export type NetKind = 'dense' | 'sparse';
export type Format = 'dense' | 'csr';

/**
 * Largest density (alive / size) at which a dense layer runs CSR in the sparse build, below
 * batch 4 (`single`: CSR gather against SIMD gemv) and from batch 4 on (`batch`).
 */
export const DEFAULT_CSR_MAX_DENSITY = { single: 0.25, batch: 0.7 } as const;

export interface LayerChoice {
  name: string;
  kind: 'conv' | 'dense';
  size: number;
  /** Weights computed: alive ones in CSR, all of them in dense. */
  alive: number;
  density: number;
  /** The format below batch 4 and from batch 4 on. */
  single: Format;
  batch: Format;
}

export interface InferenceNet {
  readonly kind: NetKind;
  readonly maxBatch: number;
  readonly inputSize: number;
  readonly classes: number;
  readonly layers: readonly LayerChoice[];
  /** Bytes of the network's memory (weights, indices, activations). */
  readonly memoryBytes: number;
  /** Logits [batch, classes] of `input` [batch, h, w, c] (NHWC), batch <= maxBatch. */
  forward(input: Float32Array, batch: number): Float32Array;
}

export interface BuildOptions {
  maxBatch: number;
  csrMaxDensity?: { single: number; batch: number };
}

/** A CSR matrix: rowPtr[rows + 1], cols[nnz], vals[nnz]. */
export interface Csr {
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

/**
 * CSR of a dense layer's W^T from its tfjs kernel [in, out] and mask: row o holds the alive
 * weights into unit o, by increasing input index k. `rowOf(k)` maps the kernel's input index to
 * the one the kernels read (the CHW permutation after a flattened conv; identity otherwise).
 */
export function denseCsr(stage: DenseStage, rowOf: (k: number) => number = (k) => k): Csr {
  const { inputs, units, kernel, mask } = stage;
  const inverse = new Int32Array(inputs);
  for (let k = 0; k < inputs; k++) inverse[rowOf(k)] = k;
  const rowPtr = new Int32Array(units + 1);
  let nnz = 0;
  for (let i = 0; i < mask.length; i++) nnz += mask[i]!;
  const cols = new Int32Array(nnz);
  const vals = new Float32Array(nnz);
  let t = 0;
  for (let o = 0; o < units; o++) {
    for (let r = 0; r < inputs; r++) {
      const at = inverse[r]! * units + o;
      if (mask[at]) {
        cols[t] = r;
        vals[t++] = kernel[at]!;
      }
    }
    rowPtr[o + 1] = t;
  }
  return { rowPtr, cols, vals };
}

/**
 * A conv's filters as CSR rows of taps over its padded input: filter o's taps (c, a, b) with
 * mask 1 (every tap when `all`), by c, then a, then b; cols are byte offsets
 * ((c * ph + a) * pw + b) * 4.
 */
export function convCsr(stage: ConvStage, all = false): Csr {
  const { kh, kw, cin, cout, ph, pw, kernel, mask } = stage;
  const taps = kh * kw * cin;
  const rowPtr = new Int32Array(cout + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++)
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++) {
          const at = ((a * kw + b) * cin + c) * cout + o;
          if (all || mask[at]) {
            cols.push(((c * ph + a) * pw + b) * 4);
            vals.push(kernel[at]!);
          }
        }
    rowPtr[o + 1] = cols.length;
  }
  if (all && cols.length !== taps * cout) throw new Error('conv taps miscounted');
  return { rowPtr, cols: Int32Array.from(cols), vals: Float32Array.from(vals) };
}

const ceil4 = (n: number) => (n + 3) & ~3;

/** A bump allocator of byte offsets (16-byte aligned) and the arrays to copy in at them. */
class Layout {
  private top = 64;
  readonly writes: { at: number; data: Float32Array | Int32Array }[] = [];

  alloc(floats: number): number {
    const at = this.top;
    this.top = (this.top + floats * 4 + 15) & ~15;
    return at;
  }

  put(data: Float32Array | Int32Array): number {
    const at = this.alloc(Math.max(1, data.length));
    this.writes.push({ at, data });
    return at;
  }

  get bytes(): number {
    return this.top;
  }
}

/** Where a stage's input lives: padded planes (contiguous when ph = h, pw = w). */
interface Planes {
  ptr: number;
  c: number;
  ph: number;
  pw: number;
  top: number;
  left: number;
}

/** Byte offset of the inside of image 0's first plane. */
const inside = (p: Planes) => p.ptr + (p.top * p.pw + p.left) * 4;

/** Builds the `kind` network of `plan` for up to `options.maxBatch` images. */
export function buildInferenceNet(
  plan: InferencePlan,
  kind: NetKind,
  options: BuildOptions,
): InferenceNet {
  const maxBatch = Math.max(1, Math.floor(options.maxBatch));
  const bpMax = ceil4(maxBatch);
  const limits = options.csrMaxDensity ?? DEFAULT_CSR_MAX_DENSITY;
  const [h0, w0, c0] = plan.inputShape;
  const inputSize = h0 * w0 * c0;
  const layout = new Layout();
  const inputPtr = layout.alloc(maxBatch * inputSize);
  const layers: LayerChoice[] = [];

  const stages = plan.stages;
  const firstDense = stages.findIndex((s) => s.kind === 'dense');
  const planeStages = stages.slice(0, firstDense) as (ConvStage | PoolStage)[];
  const denseStages = stages.slice(firstDense) as DenseStage[];

  // Input buffers of the plane stages, then the flat features the dense layers read.
  const planeInputs: Planes[] = planeStages.map((s) => {
    const c = s.kind === 'conv' ? s.cin : s.channels;
    const ph = s.kind === 'conv' ? s.ph : s.inH;
    const pw = s.kind === 'conv' ? s.pw : s.inW;
    const top = s.kind === 'conv' ? s.padTop : 0;
    const left = s.kind === 'conv' ? s.padLeft : 0;
    return { ptr: layout.alloc(maxBatch * c * ph * pw), c, ph, pw, top, left };
  });
  const features = denseStages[0]!.inputs;
  const featurePtr = planeStages.length > 0 ? layout.alloc(maxBatch * features) : inputPtr;
  const featurePlanes = (c: number, h: number, w: number): Planes => ({
    ptr: featurePtr,
    c,
    ph: h,
    pw: w,
    top: 0,
    left: 0,
  });

  type Op = (n: number) => void;
  const planeOps: ((k: SparseKernels) => Op)[] = [];
  if (planeStages.length > 0) {
    const first = planeInputs[0]!;
    planeOps.push(
      (k) => (n) =>
        k.nhwcToPlanes(
          inputPtr,
          n,
          h0,
          w0,
          c0,
          first.ptr,
          first.ph,
          first.pw,
          first.top,
          first.left,
        ),
    );
  }
  planeStages.forEach((stage, i) => {
    const x = planeInputs[i]!;
    const next = planeStages[i + 1];
    const outC = stage.kind === 'conv' ? stage.cout : stage.channels;
    const dest = next ? planeInputs[i + 1]! : featurePlanes(outC, stage.outH, stage.outW);
    const destPlane = dest.ph * dest.pw * 4;
    if (stage.kind === 'conv') {
      const csr = convCsr(stage, kind === 'dense');
      const vals = layout.put(csr.vals);
      const offs = layout.put(csr.cols);
      const rowPtr = layout.put(csr.rowPtr);
      const bias = layout.put(stage.bias);
      const size = stage.kh * stage.kw * stage.cin * stage.cout;
      layers.push({
        name: stage.name,
        kind: 'conv',
        size,
        alive: csr.vals.length,
        density: csr.vals.length / size,
        single: kind === 'dense' ? 'dense' : 'csr',
        batch: kind === 'dense' ? 'dense' : 'csr',
      });
      const xImage = x.c * x.ph * x.pw * 4;
      planeOps.push(
        (k) => (n) =>
          k.sparseConv(
            vals,
            offs,
            rowPtr,
            stage.cout,
            x.ptr,
            xImage,
            x.pw,
            stage.outH,
            stage.outW,
            bias,
            inside(dest),
            dest.c * destPlane,
            destPlane,
            dest.pw * 4,
            n,
            stage.relu ? 1 : 0,
          ),
      );
    } else {
      planeOps.push(
        (k) => (n) =>
          k.maxPool2x2Planes(
            x.ptr,
            n * stage.channels,
            stage.inH,
            stage.inW,
            inside(dest),
            destPlane,
            dest.pw * 4,
          ),
      );
    }
  });

  // Dense layers: weights in the formats this build uses, activations for both regimes.
  interface DenseLayer {
    stage: DenseStage;
    bias: number;
    w: number;
    csr: { vals: number; cols: number; rowPtr: number };
    single: Format;
    batch: Format;
    /** [units] vectors per sample (batch < 4) and [units, bp] (batch >= 4). */
    yVec: number;
    yBatch: number;
  }
  const batchInput = layout.alloc(features * bpMax);
  const dense: DenseLayer[] = denseStages.map((stage) => {
    const size = stage.inputs * stage.units;
    let alive = 0;
    for (let i = 0; i < stage.mask.length; i++) alive += stage.mask[i]!;
    const density = alive / size;
    const single: Format = kind === 'sparse' && density <= limits.single ? 'csr' : 'dense';
    const batch: Format = kind === 'sparse' && density <= limits.batch ? 'csr' : 'dense';
    // The kernel's input index k -> the index the kernels read (CHW after a flattened conv).
    let rowOf = (k: number) => k;
    if (stage.fromPlanes) {
      const [fh, fw, fc] = stage.fromPlanes;
      rowOf = (k) => {
        const d = k % fc;
        const ij = (k - d) / fc;
        return d * fh * fw + ij;
      };
    }
    let w = 0;
    if (single === 'dense' || batch === 'dense') {
      const wt = new Float32Array(size);
      for (let k = 0; k < stage.inputs; k++) {
        const r = rowOf(k);
        for (let o = 0; o < stage.units; o++)
          wt[o * stage.inputs + r] = stage.kernel[k * stage.units + o]!;
      }
      w = layout.put(wt);
    }
    const csr = { vals: 0, cols: 0, rowPtr: 0 };
    if (single === 'csr' || batch === 'csr') {
      const c = denseCsr(stage, rowOf);
      csr.vals = layout.put(c.vals);
      csr.cols = layout.put(c.cols);
      csr.rowPtr = layout.put(c.rowPtr);
    }
    layers.push({
      name: stage.name,
      kind: 'dense',
      size,
      alive: single === 'csr' || batch === 'csr' ? alive : size,
      density,
      single,
      batch,
    });
    return {
      stage,
      bias: layout.put(stage.bias),
      w,
      csr,
      single,
      batch,
      yVec: layout.alloc(stage.units),
      yBatch: layout.alloc(stage.units * bpMax),
    };
  });
  const classes = plan.classes;
  const outPtr = layout.alloc(bpMax * classes);

  const pages = Math.ceil(layout.bytes / 65536) + 1;
  const memory = new WebAssembly.Memory({ initial: pages });
  const k = new WebAssembly.Instance(kernelModule(), { env: { memory } })
    .exports as unknown as SparseKernels;
  for (const { at, data } of layout.writes) {
    const view =
      data instanceof Float32Array
        ? new Float32Array(memory.buffer, at, data.length)
        : new Int32Array(memory.buffer, at, data.length);
    view.set(data);
  }
  const runPlanes = planeOps.map((make) => make(k));

  const forward = (input: Float32Array, batch: number): Float32Array => {
    if (!(batch >= 1 && batch <= maxBatch)) throw new Error(`batch ${batch} not in 1..${maxBatch}`);
    if (input.length < batch * inputSize) throw new Error('input too short for the batch');
    new Float32Array(memory.buffer, inputPtr, batch * inputSize).set(
      input.subarray(0, batch * inputSize),
    );
    for (const op of runPlanes) op(batch);
    if (batch >= 4) {
      const bp = ceil4(batch);
      k.transpose(featurePtr, batch, features, batchInput, bp);
      let x = batchInput;
      for (const d of dense) {
        const { inputs, units, relu } = d.stage;
        if (d.batch === 'csr')
          k.csrBatch(d.csr.vals, d.csr.cols, d.csr.rowPtr, units, x, d.bias, d.yBatch, bp, +relu);
        else k.denseBatch(d.w, inputs, units, x, d.bias, d.yBatch, bp, +relu);
        x = d.yBatch;
      }
      k.transpose(x, classes, bp, outPtr, classes);
    } else {
      for (let m = 0; m < batch; m++) {
        let x = featurePtr + m * features * 4;
        dense.forEach((d, l) => {
          const { inputs, units, relu } = d.stage;
          const y = l === dense.length - 1 ? outPtr + m * classes * 4 : d.yVec;
          if (d.single === 'csr')
            k.csrGather(d.csr.vals, d.csr.cols, d.csr.rowPtr, units, x, d.bias, y, +relu);
          else k.denseGemv(d.w, inputs, units, x, d.bias, y, +relu);
          x = y;
        });
      }
    }
    return new Float32Array(memory.buffer, outPtr, batch * classes).slice();
  };

  return {
    kind,
    maxBatch,
    inputSize,
    classes,
    layers,
    memoryBytes: memory.buffer.byteLength,
    forward,
  };
}
